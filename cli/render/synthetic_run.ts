/**
 * A plausible, deterministic event sequence of a small LPT run (two variants, two phases each),
 * for developing and documenting the renderers before the real runner exists, for the replay
 * script, and for tests. Times advance by a fixed step duration from `startTime`.
 */
import type { RunEvent } from '../../runtime/events.ts';
import type { TimedEvent } from './event_log.ts';

export interface SyntheticPhase {
  readonly name: string;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly trainable: readonly string[];
  readonly losses: readonly string[];
}

export interface SyntheticRunOptions {
  readonly experiment?: string;
  readonly variants?: readonly string[];
  readonly phases?: readonly SyntheticPhase[];
  readonly runDir?: string;
  readonly startTime?: number;
  readonly batchSize?: number;
}

export const defaultPhases: readonly SyntheticPhase[] = [
  { name: 'one', epochs: 3, stepsPerEpoch: 12, trainable: ['shared', 'cls'], losses: ['agcl'] },
  { name: 'two', epochs: 3, stepsPerEpoch: 12, trainable: ['group', 'cls'], losses: ['agcl', 'matching'] },
];

const boundaries = 'many: n>100, few: n<=20, medium: the rest';

/** A small deterministic wobble so sparklines have something to show. */
function wobble(i: number): number {
  return Math.sin(i * 12.9898) * 0.5 + Math.sin(i * 3.7) * 0.5;
}

export function syntheticRunEvents(options: SyntheticRunOptions = {}): TimedEvent[] {
  const experiment = options.experiment ?? 'quickstart';
  const variants = options.variants ?? ['LPT'];
  const phases = options.phases ?? defaultPhases;
  const runDir = options.runDir ?? `runs/${experiment}/2026-11-26T21-30-00`;
  const batch = options.batchSize ?? 32;
  let time = options.startTime ?? Date.UTC(2026, 10, 26, 21, 30, 0);
  const events: TimedEvent[] = [];
  const emit = (event: RunEvent, seconds = 0) => {
    time += seconds * 1000;
    events.push({ ...event, time: Math.round(time) });
  };
  const runSteps = phases.reduce((n, p) => n + p.epochs * p.stepsPerEpoch, 0);
  let globalStep = 0;
  for (const variant of variants) {
    emit({
      type: 'run_start',
      experiment,
      variant,
      backend: 'wasm',
      backendReason: '@tensorflow/tfjs-node is not installed; wasm (SIMD) is the fastest available',
      planHash: 'sha256:3f9a1c0d5e7b',
      runDir,
      trainableParams: 12_672,
      backboneParams: 670_464,
      shots: { many: 4, medium: 3, few: 3, boundaries },
      trainImages: 1_238,
      testImages: 10_000,
      phases: phases.map((p) => p.name),
    });
    if (variant === variants[0])
      emit({
        type: 'warning',
        message:
          'experiments/quickstart.lpt:14:3: warning: class-aware sampler with balanced softmax re-balances twice',
      });
    let runStep = 0;
    for (const [phaseIndex, phase] of phases.entries()) {
      const started = time;
      emit(
        {
          type: 'phase_start',
          variant,
          phase: phase.name,
          epochs: phase.epochs,
          stepsPerEpoch: phase.stepsPerEpoch,
          trainable: phase.trainable,
        },
        0.5,
      );
      const phaseSteps = phase.epochs * phase.stepsPerEpoch;
      for (let epoch = 0; epoch < phase.epochs; epoch++) {
        for (let step = 0; step < phase.stepsPerEpoch; step++) {
          const k = epoch * phase.stepsPerEpoch + step;
          const progress = (k + 1) / phaseSteps;
          const main = (2.3 - 1.2 * phaseIndex) * Math.exp(-2.2 * progress) + 0.35 + 0.08 * wobble(++globalStep);
          const losses: Record<string, number> = { [phase.losses[0]!]: main };
          if (phase.losses[1]) losses[phase.losses[1]] = -0.5 * (0.3 + 0.25 * progress + 0.02 * wobble(globalStep + 7));
          losses.total = Object.values(losses).reduce((a, b) => a + b, 0);
          const warm = Math.min(1, (k + 1) / phase.stepsPerEpoch);
          const lr = 0.02 * warm * 0.5 * (1 + Math.cos(Math.PI * progress));
          const imagesPerSecond = 13.7 + 0.6 * wobble(globalStep + 3);
          runStep += 1;
          emit(
            {
              type: 'step',
              variant,
              phase: phase.name,
              epoch,
              step,
              stepsPerEpoch: phase.stepsPerEpoch,
              losses,
              lr,
              imagesPerSecond,
              etaSeconds: ((phaseSteps - k - 1) * batch) / imagesPerSecond,
              tensors: 412,
              bytes: 38_214_656,
              runStep,
              runSteps,
            },
            batch / imagesPerSecond,
          );
        }
        emit(
          {
            type: 'checkpoint',
            variant,
            phase: phase.name,
            epoch,
            step: phase.stepsPerEpoch - 1,
            path: `${runDir}/checkpoints/${variant}/${phase.name}-e${epoch}-s${phase.stepsPerEpoch - 1}.safetensors`,
          },
          0.2,
        );
      }
      emit({ type: 'phase_end', variant, phase: phase.name, seconds: (time - started) / 1000 });
      const gain = 8 * phaseIndex;
      emit(
        {
          type: 'evaluation',
          variant,
          phase: phase.name,
          split: 'test',
          boundaries,
          accuracy: {
            overall: 78.4 + gain * 0.6,
            many: 96.1 + gain * 0.1,
            medium: 74.2 + gain * 0.7,
            few: 41.5 + gain * 1.6,
          },
        },
        6,
      );
    }
  }
  emit({ type: 'run_end', runDir, seconds: (time - (options.startTime ?? events[0]!.time)) / 1000, stopped: false });
  return events;
}
