/**
 * The typed event stream of a run: plain data only, never tensors. The runtime emits these; the
 * CLI renders them (Ink UI on a terminal, plain lines in pipes, JSON lines with --json) and the
 * run directory keeps them as events.jsonl. Every event carries `type` and `time` (ms since epoch).
 */
import type { MicroBatchChoice } from './run/micro_batch_choice.ts';

export interface ShotCounts {
  readonly many: number;
  readonly medium: number;
  readonly few: number;
}

export interface ShotAccuracy {
  readonly overall: number;
  readonly many: number;
  readonly medium: number;
  readonly few: number;
}

export interface RunStartEvent {
  readonly type: 'run_start';
  readonly experiment: string;
  readonly variant: string;
  readonly backend: string;
  readonly backendReason: string;
  readonly planHash: string;
  readonly runDir: string;
  readonly trainableParams: number;
  readonly backboneParams: number;
  /** Classes per shot group in the training set, and the boundaries used. */
  readonly shots: ShotCounts & { readonly boundaries: string };
  readonly trainImages: number;
  readonly testImages: number;
  readonly phases: readonly string[];
  /** Per phase: the images per stream of one forward and backward pass, and why (run/micro_batch_choice.ts). */
  readonly microBatches?: readonly MicroBatchChoice[];
  readonly resumedFrom?: string;
  /** The first phases, already trained identically by an earlier plan of the run, taken from it (runtime/store/phase_memo.ts). */
  readonly reused?: { readonly phases: readonly string[]; readonly from: string };
  /** LPT++: the plan's experts and what the evaluation scores (an expert or the MoE scorer). */
  readonly experts?: readonly string[];
  readonly scorer?: string;
  readonly model?: string;
}

/** Once per run that reads image files: how they are decoded and by how many worker processes. */
export interface DataPipelineEvent {
  readonly type: 'data_pipeline';
  /** e.g. "sharp 0.35.5 (libvips 8.18.7)" or "jpeg-js/pngjs". */
  readonly decoder: string;
  readonly decoderReason: string;
  /** Image worker processes (0: the main thread decodes). */
  readonly workers: number;
}

export interface PhaseStartEvent {
  readonly type: 'phase_start';
  readonly variant: string;
  readonly phase: string;
  /** The epochs and steps this run trains; in a shortened run (`--smoke`) fewer than the plan's. */
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly trainable: readonly string[];
  /** A shortened run only: the plan's own epochs and steps per epoch. */
  readonly planned?: { readonly epochs: number; readonly stepsPerEpoch: number };
}

export interface StepEvent {
  readonly type: 'step';
  readonly variant: string;
  readonly phase: string;
  readonly epoch: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  /** Each loss term by name, plus `total`. */
  readonly losses: Readonly<Record<string, number>>;
  readonly lr: number;
  readonly imagesPerSecond: number;
  /** Estimated seconds left in this variant's training (all its remaining phases). */
  readonly etaSeconds: number;
  readonly tensors: number;
  readonly bytes: number;
  /** On webgpu: GPU bytes allocated at the step's end, in live buffers and pooled for reuse. */
  readonly gpuBytes?: { readonly live: number; readonly pooled: number };
  /**
   * Optional: steps done and total steps over all phases of this variant, for the whole-run
   * progress bar (exact across resumes). Without them the UI estimates progress from phases.
   */
  readonly runStep?: number;
  readonly runSteps?: number;
}

export interface PhaseEndEvent {
  readonly type: 'phase_end';
  readonly variant: string;
  readonly phase: string;
  readonly seconds: number;
}

export interface EvaluationEvent {
  readonly type: 'evaluation';
  readonly variant: string;
  /** The phase just trained; '' for a plan without phases (the model as initialised, a zero-shot row). */
  readonly phase: string;
  /** The expert or scorer evaluated (LPT++ plans). */
  readonly model?: string;
  readonly split: string;
  readonly accuracy: ShotAccuracy;
  readonly boundaries: string;
  /** The experts' calibration temperatures the mixture used, by expert (scorer with `calibrate: temperature`). */
  readonly temperatures?: Readonly<Record<string, number>>;
}

/** "LPT/two" after a phase; "zero-shot (as initialised)" for the plan "zero-shot" without phases. */
export function evaluatedAfter(e: Pick<EvaluationEvent, 'variant' | 'phase'>): string {
  return e.phase === '' ? `${e.variant} (as initialised)` : `${e.variant}/${e.phase}`;
}

/** `epoch` and `step` (0-based) name the last step the checkpoint includes. */
export interface CheckpointEvent {
  readonly type: 'checkpoint';
  readonly variant: string;
  readonly phase: string;
  readonly epoch: number;
  readonly step: number;
  readonly path: string;
}

export interface WarningEvent {
  readonly type: 'warning';
  readonly message: string;
}

export interface ErrorEvent {
  readonly type: 'error';
  readonly message: string;
}

export interface RunEndEvent {
  readonly type: 'run_end';
  readonly runDir: string;
  readonly seconds: number;
  readonly stopped: boolean;
}

export type RunEvent =
  | RunStartEvent
  | DataPipelineEvent
  | PhaseStartEvent
  | StepEvent
  | PhaseEndEvent
  | EvaluationEvent
  | CheckpointEvent
  | WarningEvent
  | ErrorEvent
  | RunEndEvent;

/** What the runtime is handed: it calls `emit` for every event, in order. */
export type EventSink = (event: RunEvent & { readonly time: number }) => void;

export function stamp(event: RunEvent): RunEvent & { readonly time: number } {
  return { ...event, time: Date.now() };
}
