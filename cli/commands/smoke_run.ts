/**
 * `lpt run FILE --smoke`: every plan of the file, shortened (runtime/run/run_limit.ts: two
 * optimiser steps per phase at batch 2 per stream, two evaluation batches of two images), into a
 * throwaway run directory under the OS temp folder. The run stops after its first step and
 * resumes from that checkpoint, so checkpoint and resume are part of what it shows works. Like
 * PyTorch Lightning's fast_dev_run: it finds what breaks before the long run, and its numbers
 * are no result.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rehashed } from '../../plan/hash.ts';
import type { Plan, PlanHead } from '../../plan/plan.ts';
import type { EventSink } from '../../runtime/events.ts';
import type { RunLimit } from '../../runtime/run/run_limit.ts';
import type { StopCheck } from '../../runtime/run/stop_check.ts';
import type { ExperimentOutcome } from '../../runtime/run/run_experiment.ts';

export const SMOKE_LIMIT: RunLimit = { stepsPerPhase: 2, evalBatches: 2, evalBatchSize: 2 };
/** Images per stream in a smoke step: the smallest batch that still exercises a whole batch of each stream. */
const SMOKE_BATCH = 2;

/**
 * The plans with every phase's batch capped and each text encoder's template ensemble cut to its
 * first template (embedding every class name once shows the text tower works; 80 templates would
 * take the smoke's minutes many times over). Re-hashed: a smoke plan is a plan of its own.
 */
export function smokePlans(plans: readonly Plan[]): Plan[] {
  return plans.map((plan) =>
    rehashed({
      ...plan,
      phases: plan.phases.map((p) => ({ ...p, batch: Math.min(p.batch, SMOKE_BATCH) })),
      modules: { ...plan.modules, heads: plan.modules.heads.map(oneTemplate) },
    }),
  );
}

function oneTemplate(head: PlanHead): PlanHead {
  if (head.kind !== 'text' || head.encoder === null || typeof head.templates === 'string') return head;
  return { ...head, templates: head.templates.slice(0, 1) };
}

/**
 * The plans writing under the smoke's folder: caches kept under a plan's `out` (the text
 * embeddings) then live and die with the smoke run, and a real run never reads them.
 */
export function intoSmokeDirectory(plans: readonly Plan[], dir: string): Plan[] {
  return plans.map((plan) => rehashed({ ...plan, out: dir }));
}

/** A fresh folder for the smoke run of `experiment` under the OS temp folder. */
export function smokeRunDirectory(experiment: string): string {
  return mkdtempSync(join(tmpdir(), `lpt-smoke-${experiment.replaceAll(/[^\w-]/g, '_')}-`));
}

/** A local run, or its resume, given the event sink and the stop check. */
export type Go = (emit: EventSink, shouldStop: StopCheck) => Promise<ExperimentOutcome>;

/**
 * Runs `start` until its first optimiser step is checkpointed, then `resume` to the end; a stop
 * asked for by the user (Ctrl-C) ends it as in any run. A run without any step (every plan
 * without phases) has nothing to resume.
 */
export function stopOnceAndResume(start: Go, resume: Go): Go {
  return async (emit, shouldStop) => {
    let steps = 0;
    let userStop = false;
    const counting: EventSink = (e) => {
      if (e.type === 'step') steps += 1;
      emit(e);
    };
    const first = await start(counting, async () => {
      userStop = await shouldStop();
      return userStop || steps >= 1;
    });
    if (!first.stopped || userStop) return first;
    return resume(emit, shouldStop);
  };
}
