/**
 * The typed model: every value of an ExperimentModel checked against the spec once (settings,
 * split pipelines, declarations, phase and evaluate properties). Rules read it; the emitter lowers
 * it. Phases get the settings they inherit from the phase they run `after` (sample, optim,
 * schedule, epochs, batch) filled in here.
 */
import type { Expression, Identifier, NameRef, Property } from '../ast.ts';
import { Messages } from '../../diagnostics/messages.ts';
import type { DeclEntry, EvaluationEntry, ExperimentModel, PhaseEntry, SplitEntry } from '../bind/model.ts';
import { keywordIn } from '../spec/keywords.ts';
import type { Context, KeywordSpec } from '../spec/types.ts';
import { Coercer, simpleName } from './coerce.ts';
import {
  BACKENDS,
  EVERY_NAMES,
  isOneOf,
  METRICS,
  type Backend,
  type EveryName,
  type Metric,
} from '../../plan/enums.ts';
import { isCallIn, type CallIn } from './typed_call.ts';
import {
  isLoss,
  isRef,
  type CallValue,
  type LossValue,
  type RefValue,
  type ScheduleValue,
  type Value,
} from './values.ts';

/** The declaration keywords; each declares a call of the family of the same name. */
export const DECL_KEYWORDS = ['backbone', 'prompt', 'adapter', 'head', 'expert', 'scorer'] as const;
export type DeclKeyword = (typeof DECL_KEYWORDS)[number];

export interface TypedDecl {
  readonly name: string;
  readonly keyword: DeclKeyword;
  readonly entry: DeclEntry;
  readonly call?: CallIn<DeclKeyword>;
  readonly on?: RefValue;
}

/** The experiment's settings (`seed 1`, `backend wasm`), each present when written and valid. */
export interface ExperimentSettings {
  readonly seed?: number;
  readonly classes?: number;
  readonly label?: string;
  readonly backend?: Backend;
  readonly out?: string;
  readonly budget?: CallIn<'budget'>;
  readonly slurm?: CallIn<'slurm'>;
}

export interface TypedLossTerm {
  readonly call: CallIn<'loss'>;
  readonly weight: ScheduleValue;
}

/** A loss expression's terms, each a checked loss call with its weight. */
export interface TypedLoss {
  readonly terms: readonly TypedLossTerm[];
  readonly node: Expression;
}

export interface TypedSplit {
  readonly name: string;
  readonly entry: SplitEntry;
  /** Stage expressions with their typed call (undefined when the stage did not check). */
  readonly stages: readonly { readonly expr: Expression; readonly call?: CallValue }[];
}

export interface TypedPhase {
  readonly name: string;
  readonly entry: PhaseEntry;
  readonly after: readonly NameRef[];
  readonly train: readonly RefValue[];
  readonly freeze: readonly RefValue[];
  readonly loss?: TypedLoss;
  readonly sample?: CallIn<'sampler'>;
  readonly optim?: CallIn<'optimizer'>;
  readonly schedule?: CallIn<'schedule'>;
  readonly epochs?: number;
  readonly batch?: number;
  readonly microBatch?: number;
  /** The split the phase trains on (`train` when absent). */
  readonly split?: RefValue;
  /** Settings taken from an earlier phase, by keyword, with the phase they came from. */
  readonly inherited: ReadonlyMap<string, string>;
}

export interface TypedEvaluation {
  readonly split: Identifier;
  readonly entry: EvaluationEntry;
  readonly shots?: CallIn<'shots'>;
  readonly metrics?: readonly Metric[];
  readonly every?: EveryName | number;
  readonly model?: RefValue;
}

export interface TypedModel {
  readonly model: ExperimentModel;
  /** Every experiment setting written, with its node (for rules). */
  readonly settings: ReadonlyMap<string, { readonly value: Value; readonly node: Property }>;
  /** The same settings as typed fields (for the emitter). */
  readonly experiment: ExperimentSettings;
  readonly splits: readonly TypedSplit[];
  readonly decls: ReadonlyMap<string, TypedDecl>;
  readonly phases: readonly TypedPhase[];
  readonly evaluations: readonly TypedEvaluation[];
  readonly coercer: Coercer;
}

export function analyze(model: ExperimentModel): TypedModel {
  const coercer = new Coercer();
  const settings = new Map<string, { value: Value; node: Property }>();
  for (const [name, prop] of model.settings) {
    const value = propertyValue(prop, 'experiment', coercer);
    if (value !== undefined) settings.set(name, { value, node: prop });
  }
  const splits = [...model.splits.values()].map((entry): TypedSplit => {
    const exprs = entry.value.kind === 'Pipe' ? entry.value.stages : [entry.value];
    return {
      name: entry.name.name,
      entry,
      stages: exprs.map((expr, i) => ({
        expr,
        call: coercer.call(expr, i === 0 ? 'source' : ['subsample', 'transform']),
      })),
    };
  });
  const decls = new Map<string, TypedDecl>();
  for (const [name, entry] of model.decls) {
    const keyword = entry.keyword.name;
    if (!isOneOf(DECL_KEYWORDS, keyword))
      throw new Error(`'${keyword}' declared '${name}' but is no declaration keyword`);
    const call = coercer.call(entry.value, keyword);
    const on = entry.on ? coercer.coerce(entry.on, { kind: 'ref', to: 'backbone' }, 'on') : undefined;
    decls.set(name, {
      name,
      keyword,
      entry,
      ...(call ? { call } : {}),
      ...(isRef(on) ? { on } : {}),
    });
  }
  const own = [...model.phases.values()].map((entry) => typedPhase(entry, coercer));
  const phases = inherit(own);
  const evaluations = [...model.evaluations.values()].map((entry) => typedEvaluation(entry, coercer));
  return { model, settings, experiment: experimentSettings(settings), splits, decls, phases, evaluations, coercer };
}

function experimentSettings(settings: ReadonlyMap<string, { readonly value: Value }>): ExperimentSettings {
  const get = (name: string): Value | undefined => settings.get(name)?.value;
  const seed = get('seed');
  const classes = get('classes');
  const label = get('label');
  const backend = get('backend');
  const out = get('out');
  const budget = get('budget');
  const slurm = get('slurm');
  return {
    ...(typeof seed === 'number' ? { seed } : {}),
    ...(typeof classes === 'number' ? { classes } : {}),
    ...(typeof label === 'string' ? { label } : {}),
    ...(typeof backend === 'string' && isOneOf(BACKENDS, backend) ? { backend } : {}),
    ...(typeof out === 'string' ? { out } : {}),
    ...(isCallIn(budget, 'budget') ? { budget } : {}),
    ...(isCallIn(slurm, 'slurm') ? { slurm } : {}),
  };
}

/** A property's value: a list for `multiple` keywords, else its single value. */
function propertyValue(prop: Property, context: Context, coercer: Coercer): Value | undefined {
  const spec: KeywordSpec | undefined = keywordIn(context, prop.keyword.name);
  if (!spec?.value) return undefined;
  if (spec.multiple) {
    const items = prop.values.length === 1 && prop.values[0]!.kind === 'List' ? prop.values[0]!.items : prop.values;
    return items.map((v) => coercer.coerce(v, spec.value!, spec.name)).filter((v): v is Value => v !== undefined);
  }
  if (prop.values.length !== 1) {
    coercer.issue(Messages.WrongStatementShape, prop.keyword.span, [
      spec.name,
      'a keyword with one value',
      spec.example,
    ]);
    return undefined;
  }
  return coercer.coerce(prop.values[0]!, spec.value, spec.name);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function typedPhase(entry: PhaseEntry, coercer: Coercer): TypedPhase {
  const phase: Mutable<TypedPhase> = {
    name: entry.name.name,
    entry,
    after: entry.after,
    train: [],
    freeze: [],
    inherited: new Map(),
  };
  for (const [keyword, prop] of entry.props) {
    const value = propertyValue(prop, 'phase', coercer);
    if (value === undefined) continue;
    if (keyword === 'train' || keyword === 'freeze') phase[keyword] = (value as readonly Value[]).filter(isRef);
    else if (keyword === 'loss' && isLoss(value)) phase.loss = typedLoss(value);
    else if (keyword === 'sample' && isCallIn(value, 'sampler')) phase.sample = value;
    else if (keyword === 'optim' && isCallIn(value, 'optimizer')) phase.optim = value;
    else if (keyword === 'schedule' && isCallIn(value, 'schedule')) phase.schedule = value;
    else if ((keyword === 'epochs' || keyword === 'batch') && typeof value === 'number') phase[keyword] = value;
    else if (keyword === 'micro_batch' && typeof value === 'number') phase.microBatch = value;
    else if (keyword === 'split' && isRef(value)) phase.split = value;
  }
  return phase;
}

/** Every term of a loss expression is a loss call (flattenLoss checks each against the loss family). */
function typedLoss(loss: LossValue): TypedLoss {
  return {
    terms: loss.terms.flatMap((t) => (isCallIn(t.call, 'loss') ? [{ call: t.call, weight: t.weight }] : [])),
    node: loss.node,
  };
}

const inheritable = ['sample', 'optim', 'schedule', 'epochs', 'batch', 'microBatch'] as const;

/** Fill unset inheritable settings from the `after` phase, transitively (cycles stop the walk). */
function inherit(phases: readonly TypedPhase[]): TypedPhase[] {
  const byName = new Map(phases.map((p) => [p.name, p]));
  return phases.map((phase) => {
    const result: Mutable<TypedPhase> = { ...phase, inherited: new Map() };
    const seen = new Set([phase.name]);
    let parentName = phase.after[0] ? simpleName(phase.after[0]) : undefined;
    while (parentName !== undefined && !seen.has(parentName)) {
      seen.add(parentName);
      const parent = byName.get(parentName);
      if (!parent) break;
      for (const key of inheritable) {
        if (result[key] === undefined && parent[key] !== undefined) {
          (result as Record<string, unknown>)[key] = parent[key];
          (result.inherited as Map<string, string>).set(key, parent.name);
        }
      }
      parentName = parent.after[0] ? simpleName(parent.after[0]) : undefined;
    }
    return result;
  });
}

function typedEvaluation(entry: EvaluationEntry, coercer: Coercer): TypedEvaluation {
  const evaluation: Mutable<TypedEvaluation> = { split: entry.split, entry };
  for (const [keyword, prop] of entry.props) {
    const value = propertyValue(prop, 'evaluate', coercer);
    if (value === undefined) continue;
    if (keyword === 'shots' && isCallIn(value, 'shots')) evaluation.shots = value;
    else if (keyword === 'metrics' && Array.isArray(value))
      evaluation.metrics = value.filter((v): v is Metric => typeof v === 'string' && isOneOf(METRICS, v));
    else if (
      keyword === 'every' &&
      (typeof value === 'number' || (typeof value === 'string' && isOneOf(EVERY_NAMES, value)))
    )
      evaluation.every = value;
    else if (keyword === 'model' && isRef(value)) evaluation.model = value;
  }
  return evaluation;
}
