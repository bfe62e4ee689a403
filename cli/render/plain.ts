/**
 * Plain human lines for output that is not a terminal (CI logs, pipes): a run header, phase start
 * and end, a step line at most every `intervalSeconds` or every `everySteps` steps (and at every
 * epoch end), the shot-group table of each evaluation with its boundaries, checkpoints, warnings
 * and errors. No colours or cursor movement, so logs stay greppable.
 */
import { evaluatedAfter, type EventSink, type RunEvent, type StepEvent } from '../../runtime/events.ts';
import { formatMicroBatch, formatParams, formatShare } from '../../runtime/report/format.ts';
import { formatDuration, formatLosses, formatLr, shotTableLines, stepPosition } from './format.ts';

export interface TextStream {
  write(text: string): unknown;
}

export interface PlainOptions {
  /** Print a step line when this many seconds (event time) passed since the last one. */
  readonly intervalSeconds?: number;
  /** Also print every this many steps; unset: by time and epoch ends only. */
  readonly everySteps?: number;
}

export function resumeHint(runDir: string): string {
  return `npx lpt run --resume ${runDir}`;
}

export function createPlainSink(stream: TextStream, options: PlainOptions = {}): EventSink {
  const intervalMs = (options.intervalSeconds ?? 10) * 1000;
  const epochsOf = new Map<string, number>();
  let lastPrintedTime = -Infinity;
  let stepsSincePrint = 0;
  const write = (...lines: string[]) => stream.write(lines.map((l) => `${l}\n`).join(''));

  const shouldPrintStep = (event: StepEvent & { time: number }, firstOfPhase: boolean) => {
    stepsSincePrint += 1;
    const epochEnd = event.step === event.stepsPerEpoch - 1;
    const byCount = options.everySteps !== undefined && stepsSincePrint >= options.everySteps;
    return firstOfPhase || epochEnd || byCount || event.time - lastPrintedTime >= intervalMs;
  };

  let phaseFresh = false;
  return (event) => {
    const e = event as RunEvent & { time: number };
    switch (e.type) {
      case 'run_start':
        write(
          `run ${e.experiment} / ${e.variant}: backend ${e.backend} (${e.backendReason})`,
          `  trainable ${formatParams(e.trainableParams)} params = ${formatShare(e.trainableParams, e.backboneParams)} of the backbone (${formatParams(e.backboneParams)}); train ${e.trainImages} images, test ${e.testImages}`,
          `  classes per shot group: many ${e.shots.many}, medium ${e.shots.medium}, few ${e.shots.few} (${e.shots.boundaries})`,
          `  plan ${e.planHash}; run dir ${e.runDir}${e.resumedFrom ? `; resumed from ${e.resumedFrom}` : ''}`,
          ...(e.microBatches ?? []).map((c) => `  ${formatMicroBatch(c)}`),
          ...(e.reused
            ? [`  phases ${e.reused.phases.join(', ')} reused from ${e.reused.from} (trained identically there)`]
            : []),
          ...(e.experts
            ? [`  experts ${e.experts.join(', ')}${e.scorer ? `; scorer ${e.scorer}` : ''}; evaluates ${e.model}`]
            : []),
        );
        return;
      case 'data_pipeline':
        write(
          `images: decoder ${e.decoder} (${e.decoderReason}); ${e.workers === 0 ? 'decoded in the main thread' : `${e.workers} worker process${e.workers === 1 ? '' : 'es'}`}, batches read ahead`,
        );
        return;
      case 'phase_start':
        epochsOf.set(`${e.variant}/${e.phase}`, e.epochs);
        phaseFresh = true;
        write(
          `phase ${e.variant}/${e.phase} start: ${e.epochs} epochs x ${e.stepsPerEpoch} steps${e.planned ? ` (shortened: the plan has ${e.planned.epochs} epochs x ${e.planned.stepsPerEpoch} steps)` : ''}, trains ${e.trainable.join(', ')}`,
        );
        return;
      case 'step': {
        const first = phaseFresh;
        phaseFresh = false;
        if (!shouldPrintStep(e, first)) return;
        lastPrintedTime = e.time;
        stepsSincePrint = 0;
        const pos = stepPosition(e, epochsOf.get(`${e.variant}/${e.phase}`) ?? NaN);
        write(
          `  ${e.variant}/${e.phase} epoch ${pos.epoch}/${pos.epochs} step ${pos.step}/${pos.steps}  ${formatLosses(e.losses)}  ` +
            `lr ${formatLr(e.lr)}  ${e.imagesPerSecond.toFixed(1)} img/s  phase ETA ${formatDuration(e.etaSeconds)}`,
        );
        return;
      }
      case 'phase_end':
        write(`phase ${e.variant}/${e.phase} done in ${formatDuration(e.seconds)}`);
        return;
      case 'evaluation': {
        const [names, values] = shotTableLines(e.accuracy);
        const temperatures = e.temperatures
          ? [
              `  calibrated: ${Object.entries(e.temperatures)
                .map(([name, t]) => `T(${name}) = ${t.toFixed(3)}`)
                .join(', ')}`,
            ]
          : [];
        write(
          `eval ${evaluatedAfter(e)} on ${e.split}${e.model ? ` (model ${e.model})` : ''}:`,
          `  ${names}`,
          `  ${values}`,
          `  shot groups: ${e.boundaries}`,
          ...temperatures,
        );
        return;
      }
      case 'checkpoint':
        write(`checkpoint ${e.variant}/${e.phase} epoch ${e.epoch + 1} step ${e.step + 1}: ${e.path}`);
        return;
      case 'warning':
        write(`warning: ${e.message}`);
        return;
      case 'error':
        write(`error: ${e.message}`);
        return;
      case 'run_end':
        write(
          e.stopped
            ? `run stopped after ${formatDuration(e.seconds)}; resume with: ${resumeHint(e.runDir)}`
            : `run finished in ${formatDuration(e.seconds)}; results in ${e.runDir}/results.json`,
        );
        return;
    }
  };
}
