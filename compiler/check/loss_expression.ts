/**
 * A phase's loss expression, flattened into weighted terms: `agcl - 0.5 * matching` is
 * [agcl x 1, matching x -0.5]; `linear(from: 1, to: 0) * (ce + gcl)` distributes the weight.
 * A weight is a number, `linear(from, to)`, or a product of those.
 */
import type { Expression } from '../ast.ts';
import type { MessageArg } from '../../diagnostics/diagnose.ts';
import { Messages, type Message } from '../../diagnostics/messages.ts';
import type { Span } from '../../diagnostics/span.ts';
import type { ArgType, Family } from '../spec/types.ts';
import type { CallValue, LossTermValue, LossValue, ScheduleValue, Value } from './values.ts';

/** What flattening asks of the Coercer (coerce.ts, which calls flattenLoss for a `loss` argument). */
export interface LossCoercer {
  issue(message: Message, span: Span, args?: readonly MessageArg[]): void;
  number(expr: Expression, label: string, percentAllowed: boolean): number | undefined;
  call(expr: Expression, family: Family): CallValue | undefined;
  coerce(expr: Expression, type: ArgType, label: string): Value | undefined;
}

const one: ScheduleValue = { kind: 'schedule', scale: 1, linear: [] };

export function flattenLoss(expr: Expression, coercer: LossCoercer): LossValue | undefined {
  const terms: LossTermValue[] = [];
  const ok = collect(expr, one, terms, coercer);
  return ok ? { kind: 'loss', terms, node: expr } : undefined;
}

function collect(expr: Expression, weight: ScheduleValue, terms: LossTermValue[], coercer: LossCoercer): boolean {
  const invalid = (why: string): boolean => {
    coercer.issue(Messages.InvalidLossExpression, expr.span, [why]);
    return false;
  };
  switch (expr.kind) {
    case 'Binary': {
      if (expr.op === '+' || expr.op === '-') {
        const right = expr.op === '-' ? scaled(weight, -1) : weight;
        const a = collect(expr.left, weight, terms, coercer);
        const b = collect(expr.right, right, terms, coercer);
        return a && b;
      }
      if (expr.op === '/') {
        if (!isWeight(expr.right) || hasLinear(expr.right)) return invalid('only a number may divide a loss');
        const divisor = coercer.number(expr.right, 'weight', false);
        if (divisor === undefined || divisor === 0) return invalid('division by zero');
        return collect(expr.left, scaled(weight, 1 / divisor), terms, coercer);
      }
      const [w, loss] = isWeight(expr.left)
        ? [expr.left, expr.right]
        : isWeight(expr.right)
          ? [expr.right, expr.left]
          : [undefined, undefined];
      if (!w || !loss) return invalid('a product needs a number or linear(...) on one side');
      const factor = weightOf(w, coercer);
      return factor !== undefined && collect(loss, multiply(weight, factor), terms, coercer);
    }
    case 'Unary':
      return collect(expr.operand, scaled(weight, -1), terms, coercer);
    case 'Call':
    case 'NameRef': {
      if (isWeight(expr)) return invalid('a weight alone is not a loss term');
      const call = coercer.call(expr, 'loss');
      if (call) terms.push({ call, weight });
      return call !== undefined;
    }
    case 'Number':
      return invalid('a number alone is not a loss term');
    case 'Error':
      return false;
    default:
      return invalid(`a loss is a sum of weighted terms such as agcl - 0.5 * matching`);
  }
}

function isWeight(expr: Expression): boolean {
  switch (expr.kind) {
    case 'Number':
      return true;
    case 'Unary':
      return isWeight(expr.operand);
    case 'Binary':
      return isWeight(expr.left) && isWeight(expr.right);
    case 'Call':
      return expr.callee.parts.length === 1 && expr.callee.parts[0]!.name === 'linear';
    default:
      return false;
  }
}

function hasLinear(expr: Expression): boolean {
  return (
    expr.kind === 'Call' ||
    (expr.kind === 'Binary' && (hasLinear(expr.left) || hasLinear(expr.right))) ||
    (expr.kind === 'Unary' && hasLinear(expr.operand))
  );
}

function weightOf(expr: Expression, coercer: LossCoercer): ScheduleValue | undefined {
  if (!hasLinear(expr)) {
    const n = coercer.number(expr, 'weight', false);
    return n === undefined ? undefined : { kind: 'schedule', scale: n, linear: [] };
  }
  if (expr.kind === 'Call') {
    const v = coercer.coerce(expr, { kind: 'schedule' }, 'weight');
    return v as ScheduleValue | undefined;
  }
  if (expr.kind === 'Unary') {
    const w = weightOf(expr.operand, coercer);
    return w && scaled(w, -1);
  }
  if (expr.kind === 'Binary' && (expr.op === '*' || expr.op === '/')) {
    const a = weightOf(expr.left, coercer);
    const b = expr.op === '*' ? weightOf(expr.right, coercer) : undefined;
    if (expr.op === '/') {
      const d = hasLinear(expr.right) ? undefined : coercer.number(expr.right, 'weight', false);
      return a && d ? scaled(a, 1 / d) : undefined;
    }
    return a && b ? multiply(a, b) : undefined;
  }
  coercer.issue(Messages.InvalidLossExpression, expr.span, ['a sum of weights is not a weight']);
  return undefined;
}

function scaled(w: ScheduleValue, k: number): ScheduleValue {
  return { ...w, scale: w.scale * k };
}

function multiply(a: ScheduleValue, b: ScheduleValue): ScheduleValue {
  return { kind: 'schedule', scale: a.scale * b.scale, linear: [...a.linear, ...b.linear] };
}
