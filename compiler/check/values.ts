/**
 * Typed values: what an expression means once checked against its ArgType. Each keeps the node it
 * came from, so rules can point at it and the emitter can lower it without re-reading the AST.
 */
import type { Argument, Call, Expression, NameRef } from '../ast.ts';
import { familyName } from '../spec/index.ts';
import type { ArgType, CallSpec, RefKind } from '../spec/types.ts';

export interface RefValue {
  readonly kind: 'ref';
  readonly name: string;
  readonly to: RefKind;
  readonly node: NameRef;
}

export interface LayersValue {
  readonly kind: 'layers';
  readonly named?: 'all' | 'none' | 'first_half' | 'last_half';
  /** Explicit 1-based block indices. */
  readonly list?: readonly number[];
  /** Absent for a spec default. */
  readonly node?: Expression;
}

export interface BoundValue {
  readonly kind: 'bound';
  readonly op: '>' | '<' | '>=' | '<=';
  readonly value: number;
  readonly node: Expression;
}

export interface LimitValue {
  readonly kind: 'limit';
  readonly op: '<' | '<=';
  readonly value: number;
  readonly percent: boolean;
  readonly node: Expression;
}

/** A loss weight: scale * product of linear ramps over the phase's epochs. */
export interface ScheduleValue {
  readonly kind: 'schedule';
  readonly scale: number;
  readonly linear: readonly { readonly from: number; readonly to: number }[];
}

export interface ArgValue {
  readonly value: Value;
  readonly node: Argument;
}

export interface CallValue {
  readonly kind: 'call';
  readonly name: string;
  readonly spec: CallSpec;
  readonly args: ReadonlyMap<string, ArgValue>;
  /**
   * Every argument of the spec: the written value, else the spec's literal default, else undefined
   * (typed per call by typed_call.ts). Exact for calls without issues, which are all the emitter sees.
   */
  readonly settings: Readonly<Record<string, Value | undefined>>;
  readonly node: Call;
}

export interface LossTermValue {
  readonly call: CallValue;
  readonly weight: ScheduleValue;
}

export interface LossValue {
  readonly kind: 'loss';
  readonly terms: readonly LossTermValue[];
  readonly node: Expression;
}

export type Value =
  | number
  | string
  | boolean
  | readonly Value[]
  | RefValue
  | LayersValue
  | BoundValue
  | LimitValue
  | ScheduleValue
  | CallValue
  | LossValue;

export function isCall(v: Value | undefined): v is CallValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as CallValue).kind === 'call';
}

export function isLoss(v: Value | undefined): v is LossValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as LossValue).kind === 'loss';
}

export function isSchedule(v: Value | undefined): v is ScheduleValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as ScheduleValue).kind === 'schedule';
}

export function isRef(v: Value | undefined): v is RefValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as RefValue).kind === 'ref';
}

/** "an integer >= 1", "one of mean, concat", ... */
export function describeType(type: ArgType): string {
  switch (type.kind) {
    case 'int':
      return `an integer${bounds(type.min, type.max)}`;
    case 'number':
      return `a number${bounds(type.min, type.max, type.above, type.below)}`;
    case 'bool':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'path':
      return 'a path (a string)';
    case 'enum':
      return `one of ${type.values.join(', ')}`;
    case 'ref':
      return `the name of ${refNames[type.to]}`;
    case 'list':
      return `a list of ${describeType(type.of).replace(/^(a|an|the) /, '')}s`;
    case 'layers':
      return 'layers (all, first_half, last_half, a range like 4..6, or a list like [1, 2])';
    case 'bound':
      return `a bound like ${type.ops[0]}100`;
    case 'limit':
      return type.percent ? 'a limit like <=1.5%' : 'a limit like <=1.1M';
    case 'schedule':
      return 'a weight (a number or linear(from: a, to: b))';
    case 'call':
      return withArticle(familyName(type.family));
    case 'loss':
      return 'a loss expression';
    case 'oneOf':
      return type.of.map(describeType).join(' or ');
  }
}

/** "an optimiser", "a loss". */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

export function bounds(min?: number, max?: number, above?: number, below?: number): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`>= ${min}`);
  if (above !== undefined) parts.push(`> ${above}`);
  if (max !== undefined) parts.push(`<= ${max}`);
  if (below !== undefined) parts.push(`< ${below}`);
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

export const refNames: Readonly<Record<RefKind, string>> = {
  backbone: 'a backbone',
  prompt: 'a prompt',
  deep_prompt: 'a deep prompt',
  adapter: 'an adapter',
  head: 'a head',
  expert: 'an expert',
  module: 'a prompt or adapter',
  trainable: 'a trainable module',
  model: 'an expert or scorer',
  phase: 'a phase',
  split: 'a data split',
};

/** "the number 3", "the name 'foo'", ... for "got ..." in messages. */
export function describeExpression(expr: Expression): string {
  switch (expr.kind) {
    case 'Number':
      return `the number ${expr.raw}`;
    case 'String':
      return `the string "${expr.value}"`;
    case 'NameRef':
      return `the name '${expr.parts.map((p) => p.name).join('.')}'`;
    case 'Call':
      return `a call to ${expr.callee.parts.map((p) => p.name).join('.')}(...)`;
    case 'List':
      return 'a list';
    case 'Range':
      return 'a range';
    case 'Comparison':
      return `a comparison ${expr.op}...`;
    case 'Pipe':
      return 'a pipeline';
    case 'Error':
      return 'an invalid expression';
    default:
      return 'an arithmetic expression';
  }
}
