/**
 * Every enumeration the plan carries, declared once: plan.ts's types, the plan schema
 * (schema.ts), the compiler's spec tables (compiler/spec/) and the runtime's tables derive from
 * these arrays, so a value added here and forgotten in a `Record<Enum, ...>` fails `tsc`.
 * The order of each array is the order messages and docs list the values in.
 */

/** Whether `value` is one of `values` (a type guard, for strings read from files and the command line). */
export function isOneOf<const T extends string>(values: readonly T[], value: string): value is T {
  return values.some((v) => v === value);
}

/**
 * A tagged union whose `kind`s are exactly the values K: `never` (and so type errors wherever it is
 * used) when a kind is missing from either.
 */
export type TaggedBy<K extends string, U extends { readonly kind: string }> = [U['kind']] extends [K]
  ? [K] extends [U['kind']]
    ? U
    : never
  : never;

// ---- Experiment ----------------------------------------------------------------------------

export const BACKENDS = ['auto', 'node_gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

// ---- Data ----------------------------------------------------------------------------------

export const SOURCE_KINDS = [
  'mnist',
  'fashion_mnist',
  'mnist_pairs',
  'cifar10',
  'cifar100',
  'image_folder',
  'split_list',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The file pair or batch files a built-in data set reads. */
export const SOURCE_SPLITS = ['train', 'test'] as const;
export type SourceSplit = (typeof SOURCE_SPLITS)[number];

export const CIFAR100_LABELS = ['fine', 'coarse'] as const;
export type Cifar100Labels = (typeof CIFAR100_LABELS)[number];

export const LONGTAIL_PROFILES = ['exp', 'step'] as const;
export type LongTailProfile = (typeof LONGTAIL_PROFILES)[number];

export const HOLDOUT_KEEPS = ['held_out', 'rest'] as const;
export type HoldoutKeep = (typeof HOLDOUT_KEEPS)[number];

export const TRANSFORM_KINDS = [
  'resize',
  'center_crop',
  'random_resized_crop',
  'pad_crop',
  'flip',
  'to_rgb',
  'normalize',
] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

// ---- Model ---------------------------------------------------------------------------------

export const BACKBONE_ARCHS = ['vit'] as const;
export type BackboneArch = (typeof BACKBONE_ARCHS)[number];

export const ACTIVATIONS = ['gelu', 'quick_gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const WEIGHT_FORMATS = ['safetensors', 'npz', 'tfjs'] as const;
export type WeightFormat = (typeof WEIGHT_FORMATS)[number];

/** Tensor namings of an image tower (runtime/weights/naming/). */
export const WEIGHT_NAMINGS = ['lpt', 'torchvision', 'timm', 'npz', 'clip'] as const;
export type WeightNaming = (typeof WEIGHT_NAMINGS)[number];

/** Tensor namings of a CLIP text tower (runtime/weights/naming/text/). */
export const TEXT_NAMINGS = ['clip', 'open_clip', 'hf'] as const;
export type TextNaming = (typeof TEXT_NAMINGS)[number];

export const POOL_KEYS = ['learned', 'fixed'] as const;
export type PoolKeys = (typeof POOL_KEYS)[number];

export const POOL_COMBINES = ['mean', 'concat'] as const;
export type PoolCombine = (typeof POOL_COMBINES)[number];

export const KEY_INITS = ['normal', 'uniform'] as const;
export type KeyInit = (typeof KEY_INITS)[number];

export const ADAPTER_KINDS = ['adaptformer'] as const;
export type AdapterKind = (typeof ADAPTER_KINDS)[number];

export const ADAPTER_INITS = ['zero', 'normal'] as const;
export type AdapterInit = (typeof ADAPTER_INITS)[number];

export const HEAD_KINDS = ['linear', 'cosine', 'text'] as const;
export type HeadKind = (typeof HEAD_KINDS)[number];

export const HEAD_INITS = ['unit', 'normal'] as const;
export type HeadInit = (typeof HEAD_INITS)[number];

export const SCORER_KINDS = ['moe'] as const;
export type ScorerKind = (typeof SCORER_KINDS)[number];

export const SCORER_INPUTS = ['confidence', 'feature', 'both'] as const;
export type ScorerInput = (typeof SCORER_INPUTS)[number];

export const SCORER_GATES = ['softmax', 'sigmoid'] as const;
export type ScorerGate = (typeof SCORER_GATES)[number];

export const SCORER_WEIGHTS = ['per_expert', 'per_class'] as const;
export type ScorerWeights = (typeof SCORER_WEIGHTS)[number];

export const CALIBRATION_METHODS = ['temperature'] as const;
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

// ---- Phases --------------------------------------------------------------------------------

export const FROZEN_EXPERT_OUTPUTS = ['cache', 'recompute'] as const;
export type FrozenExpertOutputs = (typeof FROZEN_EXPERT_OUTPUTS)[number];

export const LOSSES = ['ce', 'gcl', 'agcl', 'focal', 'balanced_softmax', 'logit_adjust', 'matching'] as const;
export type LossName = (typeof LOSSES)[number];

/** The batch stream a loss term is computed on: class-aware, instance or square-root. */
export const LOSS_BATCHES = ['cb', 'ib', 'sqrt'] as const;
export type LossBatch = (typeof LOSS_BATCHES)[number];

export const SAMPLERS = ['instance', 'class_aware', 'sqrt', 'dual'] as const;
export type SamplerKind = (typeof SAMPLERS)[number];

export const OPTIMIZERS = ['sgd', 'adamw'] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];

export const LR_SCALES = ['linear', 'sqrt', 'none'] as const;
export type LrScale = (typeof LR_SCALES)[number];

export const SCHEDULES = ['cosine', 'step', 'constant'] as const;
export type ScheduleKind = (typeof SCHEDULES)[number];

export const SCHEDULE_PERS = ['step', 'epoch'] as const;
export type SchedulePer = (typeof SCHEDULE_PERS)[number];

// ---- Evaluation and budget -----------------------------------------------------------------

export const BOUND_OPS = ['>', '>=', '<', '<='] as const;
export type BoundOp = (typeof BOUND_OPS)[number];

export const METRICS = ['overall', 'shots', 'per_class'] as const;
export type Metric = (typeof METRICS)[number];

/** Named evaluation times; a number means every N epochs. */
export const EVERY_NAMES = ['end', 'phase'] as const;
export type EveryName = (typeof EVERY_NAMES)[number];

export const MODULE_BUDGET_KINDS = ['prompt', 'pool', 'keys', 'adapter', 'head', 'scorer'] as const;
export type ModuleBudgetKind = (typeof MODULE_BUDGET_KINDS)[number];

export const BUDGET_METRICS = ['trainable', 'share', 'prompts', 'flops'] as const;
export type BudgetMetric = (typeof BUDGET_METRICS)[number];

export const LIMIT_OPS = ['<', '<='] as const;
export type LimitOp = (typeof LIMIT_OPS)[number];
