/**
 * Run directories written by hand for the tests of `lpt view`: the tiny experiment's run.json and
 * plans (as `lpt run` writes them), then whatever events, lock and results a test needs, so that
 * each state a run can be in (running, stopped, failed, half-written) is made exactly.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../runtime/events.ts';
import { createRunDirectory } from '../../runtime/store/run_directory.ts';
import type { Plan } from '../../plan/plan.ts';
import { useTestBackend } from './backend.ts';
import { tinyPlans } from './tiny_run.ts';

let plans: readonly Plan[] | undefined;

/** Call in test.before: the tiny plans (whose weights file tfjs draws) made once. */
export async function prepareRunDirs(): Promise<void> {
  await useTestBackend();
  plans ??= tinyPlans().plans;
}

/** A run directory `<parent>/tiny/<name>` with the tiny experiment's run.json and plans; nothing else. */
export function handMadeRunDir(parent = mkdtempSync(join(tmpdir(), 'lpt-view-')), name = 'run-1'): string {
  const dir = join(parent, 'tiny', name);
  if (!plans) throw new Error('call prepareRunDirs() in test.before first');
  createRunDirectory(dir, plans);
  return dir;
}

export function appendEvents(dir: string, events: readonly (RunEvent & { time?: number })[]): void {
  const lines = events.map((e) => `${JSON.stringify({ time: Date.now(), ...e })}\n`).join('');
  appendFileSync(join(dir, 'events.jsonl'), lines);
}

/** run.lock naming `pid` on this host, as a live (our own pid) or dead holder. */
export function writeLock(dir: string, pid = process.pid): void {
  const holder = { pid, host: hostname(), started: new Date().toISOString(), command: 'lpt run tiny.lpt' };
  writeFileSync(join(dir, 'run.lock'), `${JSON.stringify(holder)}\n`);
}

export function runStart(variant = 'LPT'): RunEvent {
  return {
    type: 'run_start',
    experiment: 'tiny',
    variant,
    backend: 'wasm',
    backendReason: 'test',
    planHash: 'sha256:test',
    runDir: 'x',
    trainableParams: 100,
    backboneParams: 1000,
    shots: { many: 1, medium: 1, few: 1, boundaries: 'many: n>15, few: n<=5, medium: the rest' },
    trainImages: 20,
    testImages: 20,
    phases: ['one', 'two'],
  };
}

export function step(n: number, variant = 'LPT', runSteps = 40): RunEvent {
  return {
    type: 'step',
    variant,
    phase: 'one',
    epoch: Math.floor((n - 1) / 10),
    step: (n - 1) % 10,
    stepsPerEpoch: 10,
    losses: { agcl: 2 / n, total: 2 / n },
    lr: 0.01,
    imagesPerSecond: 100 + n,
    etaSeconds: 10,
    tensors: 10,
    bytes: 1 << 20,
    runStep: n,
    runSteps,
  };
}
