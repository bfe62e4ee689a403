/**
 * The Plan: the contract between the compiler and the runtime. The runtime reads only this (never
 * `.lpt` source), so every default is resolved and written out, paths are resolved, and the plan
 * carries its own version and hash (like nanoGPT's checkpoint carrying `model_args`). Its JSON
 * Schema is schema.ts (committed as plan.schema.json); validate.ts checks every emitted plan.
 *
 * Conventions: layers are 1-based block indices; module names are unique across kinds; weights
 * of loss terms and schedules are functions of the epoch index e = 0..epochs-1 of their phase.
 */

import type {
  Activation,
  HeadKind,
  OptimizerKind,
  SamplerKind,
  ScheduleKind,
  SourceKind,
  TaggedBy,
  TransformKind,
  AdapterInit,
  AdapterKind,
  Backend,
  BackboneArch,
  BoundOp,
  BudgetMetric,
  CalibrationMethod,
  Cifar100Labels,
  EveryName,
  FrozenExpertOutputs,
  HeadInit,
  HoldoutKeep,
  KeyInit,
  LimitOp,
  LongTailProfile,
  LossName,
  LossBatch,
  LrScale,
  Metric,
  ModuleBudgetKind,
  PoolCombine,
  PoolKeys,
  SchedulePer,
  ScorerGate,
  ScorerInput,
  ScorerKind,
  ScorerWeights,
  SourceSplit,
  TextNaming,
  WeightFormat,
  WeightNaming,
} from './enums.ts';

export const PLAN_VERSION = 1;

export interface Plan {
  readonly version: typeof PLAN_VERSION;
  /** sha256 (hex) of the canonical JSON of the plan without this field. */
  readonly hash: string;
  /** "quickstart", or "quickstart/phases/VPT" for an ablation variant. */
  readonly name: string;
  readonly experiment: string;
  readonly variant: PlanVariant | null;
  /**
   * The experiment's display name for tables and plots (`label "LPT"`), on the experiment's own
   * plan only (a variant is shown by its variant name). Absent when not set, so plans without a
   * label keep the hash they had before the field existed.
   */
  readonly label?: string;
  /** The .lpt file that declared the experiment, or for a variant its ablation (relative to the working directory). */
  readonly source: string;
  readonly seed: number;
  /**
   * Present when the plan is one seed of several of one configuration (`lpt run --seeds 0,1,2`, or
   * `vary seed = [...]` in an ablation): the row name its seeds share in reports ("LPT", "VPT"),
   * which show their mean ± std. Only this plan's `seed` is in it, not the list of seeds, so adding
   * a seed never changes the hash of the others. Absent otherwise, so other plans keep their hash.
   */
  readonly replicateOf?: string;
  /**
   * The command line's `--set KEY=VALUE` overrides applied to this plan, as written, in order
   * (`["phase.one.epochs=2"]`). Absent when there are none.
   */
  readonly overrides?: readonly string[];
  readonly backend: Backend;
  /**
   * The `slurm(...)` statement: what `lpt run --slurm` asks the cluster for, per task. Absent when
   * not written, so other plans keep their hash. The runtime ignores it.
   */
  readonly slurm?: PlanSlurm;
  readonly classes: number;
  /** Folder that holds run directories. */
  readonly out: string;
  readonly data: PlanData;
  readonly backbones: readonly PlanBackbone[];
  readonly modules: PlanModules;
  /** In execution order (a phase comes after every phase it runs `after`). */
  readonly phases: readonly PlanPhase[];
  readonly evaluation: readonly PlanEvaluation[];
  readonly budget: PlanBudget;
}

export interface PlanVariant {
  readonly ablation: string;
  readonly name: string;
}

// ---- Data ----------------------------------------------------------------------------------

export interface PlanData {
  /** Every split; `train` is always present. */
  readonly splits: readonly PlanSplit[];
}

export interface PlanSplit {
  readonly name: string;
  readonly source: PlanSource;
  readonly longtail: PlanLongTail | null;
  /** Applied in order, after decoding (pixels in [0, 255] until `normalize`). */
  readonly transforms: readonly PlanTransform[];
  /** Final image size when the compiler can know it, else null (e.g. image folders without a crop). */
  readonly imageSize: number | null;
  /** Channels of the images fed to the model: grey sources and image files are decoded to the backbone's channels. */
  readonly channels: number;
  /**
   * A validation split held out of the train split's source (before its long-tail step): the
   * held-out split keeps those images, the train split the rest. Null when no split holds out.
   */
  readonly holdout: PlanHoldout | null;
}

export interface PlanHoldout {
  readonly keep: HoldoutKeep;
  /**
   * Per class, images [skip, skip + perClass) of a seeded per-class order, capped at images - 1;
   * 'rest' keeps the images after the first perClass (the train split, perClass = the sum over
   * the held-out splits).
   */
  readonly perClass: number;
  readonly seed: number;
  /** Images of each class's order taken by the held-out splits declared before this one; absent when 0. */
  readonly skip?: number;
}

export type PlanSource = TaggedBy<
  SourceKind,
  | {
      readonly kind: 'mnist' | 'fashion_mnist';
      readonly split: SourceSplit;
      readonly images: string;
      readonly labels: string;
      readonly classes: number;
    }
  /** Two-digit numbers composed from the MNIST digits of one IDX pair (runtime/data/mnist_pairs.ts). */
  | {
      readonly kind: 'mnist_pairs';
      readonly split: SourceSplit;
      readonly images: string;
      readonly labels: string;
      readonly perClass: number;
      readonly seed: number;
      readonly classes: number;
    }
  | {
      readonly kind: 'cifar10';
      readonly split: SourceSplit;
      readonly files: readonly string[];
      readonly classes: number;
    }
  | {
      readonly kind: 'cifar100';
      readonly split: SourceSplit;
      readonly files: readonly string[];
      readonly labels: Cifar100Labels;
      readonly classes: number;
    }
  | { readonly kind: 'image_folder'; readonly root: string; readonly classes: number | null }
  | { readonly kind: 'split_list'; readonly list: string; readonly root: string; readonly classes: number | null }
>;

export interface PlanLongTail {
  readonly ratio: number;
  /** Images kept for the head class; null: the largest class's count. */
  readonly max: number | null;
  readonly profile: LongTailProfile;
  /** Step profile: fraction of classes that keep `max` images. */
  readonly head: number;
  readonly seed: number;
}

export type PlanTransform = TaggedBy<
  TransformKind,
  | { readonly kind: 'resize'; readonly size: number; readonly square: boolean }
  | { readonly kind: 'center_crop'; readonly size: number }
  | {
      readonly kind: 'random_resized_crop';
      readonly size: number;
      readonly scale: readonly [number, number];
      readonly ratio: readonly [number, number];
    }
  | { readonly kind: 'pad_crop'; readonly padding: number }
  | { readonly kind: 'flip'; readonly p: number }
  /** A grey image's channel repeated three times (an image that has three already is unchanged). */
  | { readonly kind: 'to_rgb' }
  /** One value per channel (expanded when written as one number). */
  | { readonly kind: 'normalize'; readonly mean: readonly number[]; readonly std: readonly number[] }
>;

// ---- Model ---------------------------------------------------------------------------------

export interface PlanBackbone {
  readonly name: string;
  readonly arch: BackboneArch;
  readonly image: number;
  readonly patch: number;
  readonly dim: number;
  readonly depth: number;
  readonly heads: number;
  readonly channels: number;
  readonly mlpRatio: number;
  readonly eps: number;
  readonly act: Activation;
  readonly weights: PlanWeights | null;
  /** Frozen parameter count. */
  readonly params: number;
}

export interface PlanWeights {
  readonly path: string;
  readonly format: WeightFormat;
  readonly naming: WeightNaming;
}

export interface PlanModules {
  readonly prompts: readonly PlanDeepPrompt[];
  readonly pools: readonly PlanPool[];
  readonly adapters: readonly PlanAdapter[];
  readonly heads: readonly PlanHead[];
  readonly experts: readonly PlanExpert[];
  readonly scorer: PlanScorer | null;
}

export interface PlanDeepPrompt {
  readonly name: string;
  readonly backbone: string;
  readonly length: number;
  readonly layers: readonly number[];
  readonly initStd: number;
  readonly params: number;
}

export interface PlanPool {
  readonly name: string;
  readonly backbone: string;
  readonly size: number;
  readonly length: number;
  readonly layers: readonly number[];
  readonly keys: PoolKeys;
  readonly top: number;
  readonly combine: PoolCombine;
  /** Deep prompt whose final CLS feature is the query; null: the plain backbone. */
  readonly query: string | null;
  readonly initStd: number;
  /** Initial keys: truncated normal std 0.02 (the authors' code) or U[-1, 1] (L2P). */
  readonly keyInit: KeyInit;
  /** Prompt parameters (size x layers x length x dim), without the keys. */
  readonly params: number;
  readonly keyParams: number;
}

export interface PlanAdapter {
  readonly name: string;
  readonly backbone: string;
  readonly kind: AdapterKind;
  readonly bottleneck: number;
  readonly scale: number;
  readonly layers: readonly number[];
  readonly init: AdapterInit;
  readonly params: number;
}

export type PlanHead = TaggedBy<
  HeadKind,
  | (PlanHeadBase & { readonly kind: 'linear'; readonly bias: boolean; readonly init: PlanHeadInit })
  | (PlanHeadBase & { readonly kind: 'cosine'; readonly scale: number; readonly init: PlanHeadInit })
  | (PlanHeadBase & {
      readonly kind: 'text';
      /**
       * The logit scale the loss applies; 'checkpoint': the encoder checkpoint's exp(logit_scale)
       * (runtime/text/logit_scale.ts), the default of the encoder form when the file sets none.
       */
      readonly scale: number | 'checkpoint';
      /** The precomputed form: a file of class embeddings; null in the encoder form. */
      readonly embeddings: string | null;
      /** The encoder form: class embeddings computed at run time (and cached); null in the file form. */
      readonly encoder: PlanTextEncoder | null;
      /** A file of names (one per line), a list, or null: the names in the embeddings file. */
      readonly classnames: string | readonly string[] | null;
      /**
       * The prompt templates, each with one `{}`: a list (a named set is written out), or a file of
       * one template per line. The file form uses exactly one; the encoder form averages them.
       */
      readonly templates: string | readonly string[];
      readonly embedDim: number;
      readonly tune: boolean;
      /** How the dim-wide feature reaches embedDim (none when they are equal); see PlanTextProjection. */
      readonly projection: PlanTextProjection;
    })
>;

/**
 * frozen: the backbone's own projection (CLIP's visual.proj), not trained; tune: that projection,
 * trained with the head; random: a new trainable projection; none: the widths are equal.
 */
export type PlanTextProjection = 'none' | 'frozen' | 'tune' | 'random';

/** unit: uniform directions, unit-norm class columns (the authors' cosine head); normal: truncated normal std 0.02 (timm). */
export type PlanHeadInit = HeadInit;

/** A CLIP text tower that embeds `template` filled with each class name (runtime/text/class_embeddings.ts). */
export interface PlanTextEncoder {
  /** The backbone named by `encoder:` (the image tower of the same CLIP model). */
  readonly backbone: string;
  /** The checkpoint holding the text tower: the backbone's weights file unless `encoder_weights` is given. */
  readonly weights: string;
  readonly format: WeightFormat;
  readonly naming: TextNaming;
  /** The backbone's activation: CLIP models use one for both towers. */
  readonly act: Activation;
}

export interface PlanHeadBase {
  readonly name: string;
  /** Input width: the dim of the backbone of the expert using the head. */
  readonly dim: number;
  readonly classes: number;
  readonly dropout: number;
  /** Trainable parameters (0 for a frozen text head without projection). */
  readonly params: number;
}

export interface PlanExpert {
  readonly name: string;
  readonly backbone: string;
  readonly prompts: readonly string[];
  readonly pools: readonly string[];
  readonly adapters: readonly string[];
  readonly head: string;
}

export interface PlanScorer {
  readonly name: string;
  readonly kind: ScorerKind;
  readonly experts: readonly string[];
  readonly input: ScorerInput;
  readonly hidden: number;
  readonly gate: ScorerGate;
  readonly weights: ScorerWeights;
  /**
   * Calibration of the experts before mixing; absent: none (the experts' probabilities as they are).
   * 'temperature': one T_e per expert, fitted on `split` with the experts frozen (NLL of
   * softmax(logits / T_e)), applied to the probabilities the scorer reads and mixes.
   */
  readonly calibration?: PlanCalibration;
  /**
   * What the weights mix: absent for the experts' probabilities (LPT++'s q = sum_e alpha_e p_e);
   * 'logits' for their log-softmax logits, q = softmax(sum_e alpha_e log p_e).
   */
  readonly mix?: 'logits';
  readonly params: number;
}

export interface PlanCalibration {
  readonly method: CalibrationMethod;
  readonly split: string;
}

// ---- Phases --------------------------------------------------------------------------------

export interface PlanPhase {
  readonly name: string;
  /** Phases this one runs after; it starts from their trained modules. */
  readonly after: readonly string[];
  /**
   * Module names trained here (a pool trains its keys too unless its keys are 'fixed'); every
   * other module and every backbone is frozen.
   */
  readonly trainable: readonly string[];
  /** Experts whose forward pass the phase runs. */
  readonly experts: readonly string[];
  /**
   * How a phase that trains only the scorer gets the experts' outputs: they are frozen, so each
   * training image's outputs are computed once and cached ('cache', exact when the train
   * transforms are deterministic) or, when the transforms are random, recomputed for every batch
   * ('recompute'); null for a phase that trains expert modules.
   */
  readonly frozenExperts: PlanFrozenExperts | null;
  readonly loss: readonly PlanLossTerm[];
  readonly sampler: PlanSampler;
  readonly optimizer: PlanOptimizer;
  readonly schedule: PlanSchedule;
  readonly epochs: number;
  /** Batch size (per stream for dual sampling): the effective batch of one optimiser update. */
  readonly batch: number;
  /**
   * Images per stream in one forward and backward pass (`micro_batch`): a step runs the batch in
   * micro-batches and adds their gradients up before the update. Absent: `lpt run` chooses it
   * from the memory estimate and the device (runtime/run/micro_batch_choice.ts).
   */
  readonly microBatch?: number;
  /** The split the phase trains on; absent for the train split. */
  readonly split?: string;
}

export interface PlanFrozenExperts {
  readonly outputs: FrozenExpertOutputs;
  /** Why, in words, for `lpt compile` readers. */
  readonly reason: string;
}

/** weight(e) = scale * product over `linear` of (from + (to - from) * e / epochs), e = 0..epochs-1. */
export interface PlanWeight {
  readonly scale: number;
  readonly linear: readonly { readonly from: number; readonly to: number }[];
}

export interface PlanLossTerm {
  readonly loss: LossName;
  /** The final weight of the term: for the 'ib' stream of a dual sampler it includes the sampler's weight. */
  readonly weight: PlanWeight;
  /** Every argument of the loss with defaults resolved for this stream (e.g. A-GCL's gammas). */
  readonly args: Readonly<Record<string, number>>;
  /** The batch the term is computed on: class-aware (cb), instance (ib) or square-root (sqrt). */
  readonly batch: LossBatch;
}

export type PlanSampler = TaggedBy<
  SamplerKind,
  | { readonly kind: 'instance' }
  | { readonly kind: 'sqrt' }
  | { readonly kind: 'class_aware'; readonly perClass: number }
  /** `weight` is already folded into the ib terms' weights; it is recorded for reports. */
  | { readonly kind: 'dual'; readonly perClass: number; readonly weight: PlanWeight }
>;

interface PlanOptimizerBase {
  /** Effective learning rate for this phase's batch. */
  readonly lr: number;
  /** The lr as written, valid at baseBatch. */
  readonly baseLr: number;
  readonly baseBatch: number;
  readonly lrScale: LrScale;
  readonly weightDecay: number;
}

export type PlanOptimizer = TaggedBy<
  OptimizerKind,
  | (PlanOptimizerBase & { readonly kind: 'sgd'; readonly momentum: number; readonly nesterov: boolean })
  | (PlanOptimizerBase & { readonly kind: 'adamw'; readonly betas: readonly [number, number]; readonly eps: number })
>;

interface PlanScheduleBase {
  readonly warmupEpochs: number;
  readonly warmupFrom: number;
  /** 'epoch': the rate changes once per epoch, as timm's schedulers (runtime/train/schedule.ts). */
  readonly per: SchedulePer;
}

export type PlanSchedule = TaggedBy<
  ScheduleKind,
  | (PlanScheduleBase & { readonly kind: 'cosine'; readonly minLr: number })
  | (PlanScheduleBase & { readonly kind: 'step'; readonly milestones: readonly number[]; readonly gamma: number })
  | (PlanScheduleBase & { readonly kind: 'constant' })
>;

// ---- Evaluation and budget -----------------------------------------------------------------

export interface PlanBound {
  readonly op: BoundOp;
  readonly value: number;
}

export interface PlanEvaluation {
  readonly split: string;
  /** The expert or scorer evaluated. */
  readonly model: string;
  /** many: classes whose training count satisfies `many`; few: `few`; medium: the rest. */
  readonly shots: { readonly many: PlanBound; readonly few: PlanBound };
  readonly metrics: readonly Metric[];
  /** 'end' of the run, after every 'phase', or every N epochs. */
  readonly every: EveryName | number;
}

export interface PlanBudget {
  /** Frozen parameters of all backbones. */
  readonly backboneParams: number;
  /** Parameters trained in at least one phase. */
  readonly trainableParams: number;
  /** trainableParams as a percentage of backboneParams. */
  readonly sharePercent: number;
  /** Deep-prompt, pool and key parameters (trained or not). */
  readonly promptParams: number;
  readonly modules: readonly PlanModuleBudget[];
  /** Estimated FLOPs (multiply-add = 2) to classify one image. */
  readonly inferenceFlops: number;
  /** Per expert: the parameters its modules train and its FLOPs per image. */
  readonly experts: readonly PlanExpertBudget[];
  readonly phases: readonly PlanPhaseBudget[];
  readonly assertions: readonly PlanBudgetAssertion[];
}

export interface PlanExpertBudget {
  readonly name: string;
  readonly backbone: string;
  readonly trainableParams: number;
  readonly inferenceFlops: number;
}

export interface PlanModuleBudget {
  readonly name: string;
  readonly kind: ModuleBudgetKind;
  readonly params: number;
  readonly trained: boolean;
}

export interface PlanPhaseBudget {
  readonly phase: string;
  readonly trainableParams: number;
  /** Estimated FLOPs of one optimiser step (all streams of the batch, forward and backward). */
  readonly flopsPerStep: number;
  /**
   * Estimated bytes one step holds at its peak, all images of the batch, on the native kernels'
   * path (compiler/plan/step_memory.ts): what `lpt compile --summary` shows.
   */
  readonly activationBytes: number;
  /** The same per image, on each model path: what `lpt run` sizes its micro-batch with. */
  readonly bytesPerImage: Readonly<Record<PlanModelPath, number>>;
  /** The largest single tensor of one image in the step, in bytes (a GPU bounds each buffer). */
  readonly largestTensorPerImage: number;
}

/**
 * How a backbone computes, as far as memory goes: with the native kernels (wasm with the addon:
 * fused LayerNorm, GELU and attention) or with tfjs ops (no addon, webgpu).
 */
export type PlanModelPath = 'native' | 'ops';

export interface PlanBudgetAssertion {
  readonly metric: BudgetMetric;
  readonly op: LimitOp;
  readonly limit: number;
  readonly actual: number;
  readonly ok: boolean;
}

/** `slurm(partition: "gpu", time: "4:00:00", ...)`: each a sbatch option of every task; absent ones take lpt's estimate or Slurm's default. */
export interface PlanSlurm {
  readonly partition?: string;
  readonly account?: string;
  /** sbatch --time: "MINUTES", "HH:MM:SS", "D-HH:MM:SS". */
  readonly time?: string;
  readonly gpus?: number;
  readonly cpus?: number;
  /** sbatch --mem: "16G", "16000M". */
  readonly mem?: string;
  readonly constraint?: string;
  readonly qos?: string;
  /** Seconds before the time limit at which a task checkpoints and requeues itself. */
  readonly signal?: number;
  /** Further sbatch options, each as written on sbatch's command line ("--mail-type=END"). */
  readonly options?: readonly string[];
}
