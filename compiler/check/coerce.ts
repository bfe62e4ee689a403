/**
 * Checking an expression against an ArgType and producing its typed Value. Problems are collected
 * as issues (reported by the argument rules, one code each) rather than thrown, and coercion goes
 * on past them so that one file yields all its problems.
 */
import type { Call, Expression, NameRef } from '../ast.ts';
import type { MessageArg } from '../../diagnostics/diagnose.ts';
import { Messages, type Message } from '../../diagnostics/messages.ts';
import { resolveFrom } from '../program/paths.ts';
import { callNames, callSpec, familyName } from '../spec/index.ts';
import type { ArgType, CallSpec, Family } from '../spec/types.ts';
import type { Span } from '../../diagnostics/span.ts';
import { didYouMean } from '../suggest.ts';
import { flattenLoss } from './loss_expression.ts';
import { settingsOf, type CallIn } from './typed_call.ts';
import {
  bounds,
  describeExpression,
  describeType,
  withArticle,
  type ArgValue,
  type CallValue,
  type RefValue,
  type ScheduleValue,
  type Value,
} from './values.ts';

export interface Issue {
  readonly message: Message;
  readonly span: Span;
  readonly args: readonly MessageArg[];
}

/** A path written in the source, resolved to an absolute path. */
export interface PathUse {
  readonly absolute: string;
  readonly label: string;
  readonly node: Expression;
}

export class Coercer {
  readonly issues: Issue[] = [];
  readonly paths: PathUse[] = [];
  /** Every name reference, for the reference rules. */
  readonly refs: RefValue[] = [];

  issue(message: Message, span: Span, args: readonly MessageArg[] = []): void {
    this.issues.push({ message, span, args });
  }

  /** `label` names the value in messages (usually the argument name). */
  coerce(expr: Expression, type: ArgType, label: string): Value | undefined {
    if (expr.kind === 'Error') return undefined;
    switch (type.kind) {
      case 'int':
      case 'number': {
        const n = this.number(expr, label, false, type);
        if (n === undefined) return undefined;
        if (type.kind === 'int' && !Number.isInteger(n)) return this.typeError(expr, type, label);
        const { min, max } = type;
        const above = type.kind === 'number' ? type.above : undefined;
        const below = type.kind === 'number' ? type.below : undefined;
        if (
          (min !== undefined && n < min) ||
          (max !== undefined && n > max) ||
          (above !== undefined && n <= above) ||
          (below !== undefined && n >= below)
        ) {
          this.issue(Messages.ValueOutOfRange, expr.span, [label, bounds(min, max, above, below).trim(), n]);
        }
        return n;
      }
      case 'bool': {
        const name = simpleName(expr);
        if (name === 'true' || name === 'false') return name === 'true';
        return this.typeError(expr, type, label);
      }
      case 'string':
        return expr.kind === 'String' ? expr.value : this.typeError(expr, type, label);
      case 'path': {
        if (expr.kind !== 'String') return this.typeError(expr, type, label);
        const absolute = resolveFrom(expr.span.file, expr.value);
        this.paths.push({ absolute, label, node: expr });
        return absolute;
      }
      case 'enum': {
        const name = expr.kind === 'String' ? expr.value : simpleName(expr);
        if (name === undefined) return this.typeError(expr, type, label);
        if (!type.values.includes(name)) {
          this.issue(Messages.InvalidChoice, expr.span, [
            name,
            label,
            type.values.join(', '),
            didYouMean(name, type.values),
          ]);
          return undefined;
        }
        return name;
      }
      case 'ref': {
        const name = simpleName(expr);
        if (name === undefined) return this.typeError(expr, type, label);
        const ref: RefValue = { kind: 'ref', name, to: type.to, node: expr as NameRef };
        this.refs.push(ref);
        return ref;
      }
      case 'list':
        return this.list(expr, type, label);
      case 'layers':
        return this.layers(expr, type, label);
      case 'bound':
        if (expr.kind !== 'Comparison' || !type.ops.includes(expr.op)) return this.typeError(expr, type, label);
        return withNumber(this.number(expr.value, label, false), (value) => ({
          kind: 'bound',
          op: expr.op,
          value,
          node: expr,
        }));
      case 'limit': {
        if (expr.kind !== 'Comparison' || (expr.op !== '<=' && expr.op !== '<'))
          return this.typeError(expr, type, label);
        const percent = expr.value.kind === 'Number' && expr.value.unit === '%';
        if (type.percent && !percent) this.issue(Messages.PercentRequired, expr.span, [label]);
        const op = expr.op;
        return withNumber(this.number(expr.value, label, type.percent), (value) => ({
          kind: 'limit',
          op,
          value,
          percent,
          node: expr,
        }));
      }
      case 'schedule':
        return this.schedule(expr, label);
      case 'call':
        return this.call(expr, type.family);
      case 'loss':
        return flattenLoss(expr, this);
      case 'oneOf':
        return this.oneOf(expr, type, label);
    }
  }

  /** A call from `family`, or a bare name meaning the call without arguments. */
  call<F extends Family>(expr: Expression, family: F | readonly F[]): CallIn<F> | undefined {
    const call: Call | undefined =
      expr.kind === 'Call'
        ? expr
        : expr.kind === 'NameRef'
          ? { kind: 'Call', callee: expr, args: [], span: expr.span }
          : undefined;
    if (!call) {
      this.issue(Messages.ArgumentType, expr.span, [
        withArticle(familyName(family)),
        familyName(family),
        describeExpression(expr),
      ]);
      return undefined;
    }
    const name = call.callee.parts.map((p) => p.name).join('.');
    const spec = callSpec(family, name);
    if (!spec) {
      this.issue(Messages.UnknownCallee, call.callee.span, [
        familyName(family),
        name,
        didYouMean(name, callNames(family)),
      ]);
      return undefined;
    }
    const args = this.arguments(call, spec);
    const checked: CallValue = { kind: 'call', name, spec, args, settings: settingsOf(spec, args), node: call };
    // callSpec found `spec` in family F's table and the settings were built from it: what CallIn<F> states.
    return checked as CallIn<F>;
  }

  private arguments(call: Call, spec: CallSpec): Map<string, ArgValue> {
    const args = new Map<string, ArgValue>();
    call.args.forEach((arg, index) => {
      const name = arg.name?.name ?? spec.args[index]?.name;
      if (name === undefined) {
        this.issue(Messages.TooManyArguments, arg.span, [spec.name, spec.args.length]);
        return;
      }
      const argSpec = spec.args.find((a) => a.name === name);
      if (!argSpec) {
        const suggestion = didYouMean(
          name,
          spec.args.map((a) => a.name),
        );
        this.issue(Messages.UnknownArgument, (arg.name ?? arg).span, [name, spec.name, suggestion]);
        return;
      }
      if (args.has(name)) {
        this.issue(Messages.DuplicateArgument, (arg.name ?? arg).span, [name]);
        return;
      }
      const value = this.coerce(arg.value, argSpec.type, name);
      if (value !== undefined) args.set(name, { value, node: arg });
    });
    for (const a of spec.args) {
      if (a.required && !call.args.some((arg, i) => (arg.name?.name ?? spec.args[i]?.name) === a.name)) {
        this.issue(Messages.MissingArgument, call.callee.span, [spec.name, a.name]);
      }
    }
    return args;
  }

  /** Numbers with k/M/G units and constant arithmetic (`2 * 0.01`, `-1`). */
  number(
    expr: Expression,
    label: string,
    percentAllowed: boolean,
    type: ArgType = { kind: 'number' },
  ): number | undefined {
    switch (expr.kind) {
      case 'Number':
        if (expr.unit === '%' && !percentAllowed) {
          this.issue(Messages.PercentNotAllowed, expr.span, [label]);
          return undefined;
        }
        return expr.value;
      case 'Unary':
        return withNumber(this.number(expr.operand, label, percentAllowed), (n) => -n);
      case 'Binary': {
        const left = this.number(expr.left, label, percentAllowed);
        const right = left === undefined ? undefined : this.number(expr.right, label, percentAllowed);
        if (left === undefined || right === undefined) return undefined;
        const result =
          expr.op === '+'
            ? left + right
            : expr.op === '-'
              ? left - right
              : expr.op === '*'
                ? left * right
                : left / right;
        return Number.isFinite(result) ? result : this.typeError(expr, { kind: 'number' }, label);
      }
      default:
        return this.typeError(expr, type, label);
    }
  }

  private list(expr: Expression, type: ArgType & { kind: 'list' }, label: string): Value[] | undefined {
    const items = expr.kind === 'List' ? expr.items : [expr];
    const values: Value[] = [];
    for (const item of items) {
      const v = this.coerce(item, type.of, label);
      if (v !== undefined) values.push(v);
    }
    const { minItems, maxItems } = type;
    if ((minItems !== undefined && items.length < minItems) || (maxItems !== undefined && items.length > maxItems)) {
      const count = minItems === maxItems ? `${minItems}` : `${minItems ?? 0}..${maxItems ?? 'any'}`;
      this.issue(Messages.ValueOutOfRange, expr.span, [label, `a list of ${count} item(s)`, `${items.length} item(s)`]);
    }
    return values;
  }

  private layers(expr: Expression, type: ArgType, label: string): Value | undefined {
    const name = simpleName(expr);
    if (name === 'all' || name === 'none' || name === 'first_half' || name === 'last_half')
      return { kind: 'layers', named: name, node: expr };
    if (expr.kind === 'Range') {
      const from = this.coerce(expr.from, { kind: 'int', min: 1 }, label);
      const to = this.coerce(expr.to, { kind: 'int', min: 1 }, label);
      if (typeof from !== 'number' || typeof to !== 'number') return undefined;
      if (from > to) {
        this.issue(Messages.RangeReversed, expr.span, [from, to]);
        return undefined;
      }
      return { kind: 'layers', list: Array.from({ length: to - from + 1 }, (_, i) => from + i), node: expr };
    }
    if (expr.kind === 'List') {
      const list = expr.items
        .map((item) => this.coerce(item, { kind: 'int', min: 1 }, label))
        .filter((v): v is number => typeof v === 'number');
      return { kind: 'layers', list: [...new Set(list)].sort((a, b) => a - b), node: expr };
    }
    return this.typeError(expr, type, label);
  }

  private schedule(expr: Expression, label: string): ScheduleValue | undefined {
    if (expr.kind === 'Call' || (expr.kind === 'NameRef' && simpleName(expr) === 'linear')) {
      const call = this.call(expr, 'weight');
      const from = call?.args.get('from')?.value;
      const to = call?.args.get('to')?.value;
      return typeof from === 'number' && typeof to === 'number'
        ? { kind: 'schedule', scale: 1, linear: [{ from, to }] }
        : undefined;
    }
    return withNumber(this.number(expr, label, false), (scale) => ({ kind: 'schedule', scale, linear: [] }));
  }

  private oneOf(expr: Expression, type: ArgType & { kind: 'oneOf' }, label: string): Value | undefined {
    let structural: ArgType | undefined;
    for (const alternative of type.of) {
      const trial = new Coercer();
      const value = trial.coerce(expr, alternative, label);
      if (value !== undefined && trial.issues.length === 0) return this.coerce(expr, alternative, label);
      if (!structural && !trial.issues.some((i) => i.message === Messages.ArgumentType)) structural = alternative;
    }
    if (structural) return this.coerce(expr, structural, label);
    return this.typeError(expr, type, label);
  }

  private typeError(expr: Expression, type: ArgType, label: string): undefined {
    this.issue(Messages.ArgumentType, expr.span, [describeType(type), label, describeExpression(expr)]);
    return undefined;
  }
}

/** The name of a one-part NameRef. */
export function simpleName(expr: Expression): string | undefined {
  return expr.kind === 'NameRef' && expr.parts.length === 1 ? expr.parts[0]!.name : undefined;
}

function withNumber<T>(n: number | undefined, f: (n: number) => T): T | undefined {
  return n === undefined ? undefined : f(n);
}
