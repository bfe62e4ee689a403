/**
 * The shape of the language spec: every call (`deep(...)`, `sgd(...)`) and every statement keyword
 * (`seed`, `phase`, `prompt`) is described as data: its arguments' types, domains, defaults and a
 * one-line doc. The checker validates against it, the emitter fills defaults from it, and
 * docs/LANGUAGE.md's tables are generated from it.
 */
import type { BoundOp } from '../../plan/enums.ts';

/** Groups of calls that may appear in the same position. */
export type Family =
  | 'source'
  | 'subsample'
  | 'transform'
  | 'backbone'
  | 'prompt'
  | 'adapter'
  | 'head'
  | 'expert'
  | 'scorer'
  | 'loss'
  | 'weight'
  | 'sampler'
  | 'optimizer'
  | 'schedule'
  | 'shots'
  | 'budget'
  | 'slurm';

/**
 * What a name argument refers to. `module`: a prompt or adapter (what an expert attaches to its
 * backbone); `trainable`: a module, head or scorer; `model`: an expert or scorer.
 */
export type RefKind =
  | 'backbone'
  | 'prompt'
  | 'deep_prompt'
  | 'adapter'
  | 'head'
  | 'expert'
  | 'module'
  | 'trainable'
  | 'model'
  | 'phase'
  | 'split';

export type ArgType =
  | { readonly kind: 'int'; readonly min?: number; readonly max?: number }
  /** `above`/`below` are exclusive bounds, `min`/`max` inclusive. */
  | {
      readonly kind: 'number';
      readonly min?: number;
      readonly max?: number;
      readonly above?: number;
      readonly below?: number;
    }
  | { readonly kind: 'bool' }
  | { readonly kind: 'string' }
  /** A file or folder path, resolved relative to the .lpt file that wrote it. */
  | { readonly kind: 'path' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'ref'; readonly to: RefKind }
  | { readonly kind: 'list'; readonly of: ArgType; readonly minItems?: number; readonly maxItems?: number }
  /** Block indices: `all`, `none`, `first_half`, `last_half`, `4..6` (1-based, inclusive) or `[1, 3]`. */
  | { readonly kind: 'layers' }
  /** A one-sided bound such as `>100` or `<=20`. */
  | { readonly kind: 'bound'; readonly ops: readonly BoundOp[] }
  /** A budget limit `<=1.1M`; `percent` says whether the value is a share written with `%`. */
  | { readonly kind: 'limit'; readonly percent: boolean }
  /** A loss weight: a number or `linear(from: a, to: b)` over the phase's epochs. */
  | { readonly kind: 'schedule' }
  /** A call (or a bare name, meaning the call with no arguments) from one of these families. */
  | { readonly kind: 'call'; readonly family: Family | readonly Family[] }
  /** A loss expression over the loss family: `agcl - 0.5 * matching`. */
  | { readonly kind: 'loss' }
  | { readonly kind: 'oneOf'; readonly of: readonly ArgType[] };

/** A default written as a value, or described in words when it depends on other values. */
export type DefaultValue =
  { readonly value: number | string | boolean | readonly (number | string)[] } | { readonly derived: string };

export interface ArgSpec {
  readonly name: string;
  readonly type: ArgType;
  /** Absent and not required: the argument is optional with no default (null in the plan). */
  readonly default?: DefaultValue;
  readonly required?: boolean;
  /** A different default on instance-sampled ('ib') batches (A-GCL's gammas, docs/METHOD.md). */
  readonly instanceDefault?: number;
  readonly doc: string;
}

export interface CallSpec {
  readonly name: string;
  readonly family: Family;
  readonly doc: string;
  readonly example: string;
  readonly args: readonly ArgSpec[];
}

/** Where a statement appears. */
export type Context = 'file' | 'experiment' | 'data' | 'phase' | 'evaluate' | 'ablation' | 'variant';

export type StatementForm = 'block' | 'declaration' | 'property';

export interface KeywordSpec {
  readonly name: string;
  readonly form: StatementForm;
  readonly contexts: readonly Context[];
  readonly doc: string;
  readonly example: string;
  /** declaration: the family of its value; property: the type of each value. */
  readonly value?: ArgType;
  /** property: whether it takes a comma-separated list (`train a, b`). */
  readonly multiple?: boolean;
  /** Properties inherited by a phase from the phase it runs `after`. */
  readonly inherited?: boolean;
  readonly default?: DefaultValue;
}

export function value<const V extends number | string | boolean | readonly (number | string)[]>(
  v: V,
): { readonly value: V } {
  return { value: v };
}
export function derived(description: string): { readonly derived: string } {
  return { derived: description };
}
