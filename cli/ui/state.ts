/**
 * What the run UI shows, as a pure reducer over run events (and the user's stop request), so the
 * one stateful component (App) stays small and the logic is testable without a terminal.
 * Finished phases, evaluations, warnings and errors become log items that Ink prints once
 * (<Static>); the rest is the live panel.
 */
import type {
  CheckpointEvent,
  DataPipelineEvent,
  EvaluationEvent,
  RunEndEvent,
  RunStartEvent,
  StepEvent,
} from '../../runtime/events.ts';
import type { TimedEvent } from '../render/event_log.ts';

export type PhaseStatus = 'pending' | 'running' | 'done';

export interface PhaseView {
  readonly name: string;
  readonly status: PhaseStatus;
  readonly epochs?: number;
  readonly stepsPerEpoch?: number;
  readonly seconds?: number;
}

export type LogItem =
  | {
      readonly id: number;
      readonly kind: 'phase';
      readonly variant: string;
      readonly phase: string;
      readonly epochs: number;
      readonly seconds: number;
    }
  | { readonly id: number; readonly kind: 'evaluation'; readonly evaluation: EvaluationEvent }
  | { readonly id: number; readonly kind: 'warning' | 'error'; readonly message: string };

export interface RunUiState {
  readonly run?: RunStartEvent;
  readonly data?: DataPipelineEvent;
  readonly phases: readonly PhaseView[];
  readonly step?: StepEvent;
  /** Smoothed seconds per step of the current phase, from event times (for the epoch ETA). */
  readonly secondsPerStep?: number;
  readonly lossHistory: Readonly<Record<string, readonly number[]>>;
  readonly evaluation?: EvaluationEvent;
  readonly checkpoint?: CheckpointEvent;
  readonly log: readonly LogItem[];
  readonly warnings: number;
  readonly stopRequested: boolean;
  readonly end?: RunEndEvent;
  readonly lastStepTime?: number;
}

export type UiAction = { readonly kind: 'event'; readonly event: TimedEvent } | { readonly kind: 'stop_requested' };

export const initialRunUiState: RunUiState = {
  phases: [],
  lossHistory: {},
  log: [],
  warnings: 0,
  stopRequested: false,
};

/** Enough history for a sparkline of a few dozen cells. */
export const lossHistoryLength = 48;

type NewLogItem = LogItem extends infer T ? (T extends LogItem ? Omit<T, 'id'> : never) : never;

function withLog(state: RunUiState, item: NewLogItem): RunUiState {
  return { ...state, log: [...state.log, { ...item, id: state.log.length } as LogItem] };
}

function setPhase(phases: readonly PhaseView[], name: string, change: Partial<PhaseView>): PhaseView[] {
  const known = phases.some((p) => p.name === name);
  const all = known ? phases : [...phases, { name, status: 'pending' as const }];
  return all.map((p) => (p.name === name ? { ...p, ...change } : p));
}

function appendLosses(history: RunUiState['lossHistory'], losses: Readonly<Record<string, number>>) {
  const next: Record<string, readonly number[]> = {};
  for (const [name, value] of Object.entries(losses)) {
    next[name] = [...(history[name] ?? []), value].slice(-lossHistoryLength);
  }
  return next;
}

function onStep(state: RunUiState, e: StepEvent & { time: number }): RunUiState {
  const samePhase = state.step?.phase === e.phase && state.step?.variant === e.variant;
  const dt = samePhase && state.lastStepTime !== undefined ? (e.time - state.lastStepTime) / 1000 : undefined;
  const secondsPerStep =
    dt === undefined || !(dt >= 0)
      ? state.secondsPerStep
      : state.secondsPerStep === undefined
        ? dt
        : 0.8 * state.secondsPerStep + 0.2 * dt;
  return {
    ...state,
    step: e,
    lastStepTime: e.time,
    ...(secondsPerStep === undefined ? {} : { secondsPerStep }),
    lossHistory: appendLosses(samePhase ? state.lossHistory : {}, e.losses),
    phases: setPhase(state.phases, e.phase, { status: 'running' }),
  };
}

export function reduceRunUi(state: RunUiState, action: UiAction): RunUiState {
  if (action.kind === 'stop_requested') return { ...state, stopRequested: true };
  const e = action.event;
  switch (e.type) {
    case 'data_pipeline':
      return { ...state, data: e };
    case 'run_start':
      return {
        ...state,
        run: e,
        phases: e.phases.map((name) => ({ name, status: e.reused?.phases.includes(name) ? 'done' : 'pending' })),
        step: undefined,
        lossHistory: {},
        lastStepTime: undefined,
      };
    case 'phase_start':
      return {
        ...state,
        phases: setPhase(state.phases, e.phase, {
          status: 'running',
          epochs: e.epochs,
          stepsPerEpoch: e.stepsPerEpoch,
        }),
        step: undefined,
        secondsPerStep: undefined,
        lossHistory: {},
        lastStepTime: undefined,
      };
    case 'step':
      return onStep(state, e);
    case 'phase_end': {
      const epochs = state.phases.find((p) => p.name === e.phase)?.epochs ?? 0;
      const next = { ...state, phases: setPhase(state.phases, e.phase, { status: 'done', seconds: e.seconds }) };
      return withLog(next, { kind: 'phase', variant: e.variant, phase: e.phase, epochs, seconds: e.seconds });
    }
    case 'evaluation':
      return withLog({ ...state, evaluation: e }, { kind: 'evaluation', evaluation: e });
    case 'checkpoint':
      return { ...state, checkpoint: e };
    case 'warning':
      return withLog({ ...state, warnings: state.warnings + 1 }, { kind: 'warning', message: e.message });
    case 'error':
      return withLog(state, { kind: 'error', message: e.message });
    case 'run_end':
      return { ...state, end: e };
  }
}

/** Fraction of the variant's run done: exact from runStep/runSteps, else estimated from phases. */
export function runFraction(state: RunUiState): number {
  const step = state.step;
  if (step?.runStep !== undefined && step.runSteps) return step.runStep / step.runSteps;
  if (state.phases.length === 0) return 0;
  const done = state.phases.filter((p) => p.status === 'done').length;
  const current = state.phases.find((p) => p.status === 'running');
  const inPhase =
    current && step && current.epochs
      ? (step.epoch * step.stepsPerEpoch + step.step + 1) / (current.epochs * step.stepsPerEpoch)
      : 0;
  return (done + inPhase) / state.phases.length;
}

/** Fraction of the current epoch done and the seconds left in it. */
export function epochProgress(state: RunUiState): { fraction: number; etaSeconds: number } {
  const step = state.step;
  if (!step) return { fraction: 0, etaSeconds: NaN };
  const left = step.stepsPerEpoch - step.step - 1;
  return { fraction: (step.step + 1) / step.stepsPerEpoch, etaSeconds: left * (state.secondsPerStep ?? NaN) };
}

/**
 * Time left in the variant's run. The runtime's etaSeconds covers the current phase; with
 * runStep/runSteps the UI extends it over the remaining phases at the measured step time.
 * Without them only the last phase's ETA is the run's, so earlier phases show a phase ETA.
 */
export function runEta(state: RunUiState): { seconds: number; scope: 'run' | 'phase' } {
  const step = state.step;
  if (!step) return { seconds: NaN, scope: 'run' };
  if (step.runStep !== undefined && step.runSteps) {
    const phase = state.phases.find((p) => p.name === step.phase);
    const phaseLeft = phase?.epochs
      ? phase.epochs * step.stepsPerEpoch - (step.epoch * step.stepsPerEpoch + step.step + 1)
      : 0;
    const secondsPerStep = state.secondsPerStep ?? (phaseLeft > 0 ? step.etaSeconds / phaseLeft : NaN);
    return { seconds: (step.runSteps - step.runStep) * secondsPerStep, scope: 'run' };
  }
  const last = state.phases.at(-1)?.name === step.phase;
  return { seconds: step.etaSeconds, scope: last ? 'run' : 'phase' };
}
