import test from 'ava';
import {
  epochProgress,
  initialRunUiState,
  lossHistoryLength,
  reduceRunUi,
  runEta,
  runFraction,
  type RunUiState,
} from '../../../cli/ui/state.ts';
import { syntheticRunEvents } from '../../../cli/render/synthetic_run.ts';
import type { TimedEvent } from '../../../cli/render/event_log.ts';

const events = syntheticRunEvents({ variants: ['VPT', 'LPT'] });
const fold = (list: readonly TimedEvent[], from: RunUiState = initialRunUiState) =>
  list.reduce((state, event) => reduceRunUi(state, { kind: 'event', event }), from);
const indexOf = (predicate: (e: TimedEvent) => boolean) => events.findIndex(predicate);

test('phases move from pending to running to done, and finished phases are logged once', (t) => {
  const firstStep = indexOf((e) => e.type === 'step');
  const midway = fold(events.slice(0, firstStep + 1));
  t.deepEqual(
    midway.phases.map((p) => p.status),
    ['running', 'pending'],
  );
  const afterOne = fold(events.slice(0, indexOf((e) => e.type === 'phase_end') + 1));
  t.deepEqual(
    afterOne.phases.map((p) => p.status),
    ['done', 'pending'],
  );
  t.deepEqual(
    afterOne.log.filter((item) => item.kind === 'phase').map((item) => item.kind === 'phase' && item.phase),
    ['one'],
  );
});

test('a new variant resets the phases and the loss history; the log keeps everything', (t) => {
  const secondRun = indexOf((e) => e.type === 'run_start' && e.variant === 'LPT');
  const state = fold(events.slice(0, secondRun + 1));
  t.is(state.run?.variant, 'LPT');
  t.deepEqual(
    state.phases.map((p) => p.status),
    ['pending', 'pending'],
  );
  t.deepEqual(state.lossHistory, {});
  t.is(state.log.filter((item) => item.kind === 'phase').length, 2);
  t.deepEqual(
    state.log.map((item) => item.id),
    state.log.map((_, i) => i),
  );
});

test('loss history is per term, bounded, and restarts with each phase', (t) => {
  const endOfOne = indexOf((e) => e.type === 'phase_end');
  const state = fold(events.slice(0, endOfOne));
  t.is(state.lossHistory.agcl?.length, Math.min(lossHistoryLength, 36));
  t.is(state.lossHistory.matching, undefined);
  const inTwo = fold(events.slice(0, indexOf((e) => e.type === 'step' && e.phase === 'two') + 1));
  t.is(inTwo.lossHistory.agcl?.length, 1);
  t.is(inTwo.lossHistory.matching?.length, 1);
});

test('run progress uses runStep/runSteps when given, else the phase fraction', (t) => {
  const at = indexOf((e) => e.type === 'step' && e.phase === 'two' && e.epoch === 0 && e.step === 5);
  const state = fold(events.slice(0, at + 1));
  t.is(runFraction(state), (36 + 6) / 72);
  const { runStep: _a, runSteps: _b, ...plain } = state.step!;
  const estimated = runFraction({ ...state, step: plain });
  t.is(estimated, (1 + 6 / 36) / 2);
});

test('the epoch ETA is the steps left times the smoothed step time', (t) => {
  const at = indexOf((e) => e.type === 'step' && e.epoch === 0 && e.step === 9);
  const state = fold(events.slice(0, at + 1));
  const { fraction, etaSeconds } = epochProgress(state);
  t.is(fraction, 10 / 12);
  t.true(state.secondsPerStep! > 2 && state.secondsPerStep! < 3, `seconds per step ${state.secondsPerStep}`);
  t.is(etaSeconds, 2 * state.secondsPerStep!);
});

test('a stop request and run_end are kept; warnings are counted and logged', (t) => {
  const stopped = reduceRunUi(fold(events.slice(0, 5)), { kind: 'stop_requested' });
  t.true(stopped.stopRequested);
  t.is(stopped.warnings, 1);
  const end = fold([{ type: 'run_end', runDir: 'runs/x', seconds: 3, stopped: true, time: 0 }], stopped);
  t.deepEqual(end.end, { type: 'run_end', runDir: 'runs/x', seconds: 3, stopped: true, time: 0 });
});

test('the run ETA extends the phase ETA over later phases, or says it only covers the phase', (t) => {
  const at = indexOf((e) => e.type === 'step' && e.phase === 'one' && e.epoch === 1 && e.step === 0);
  const state = fold(events.slice(0, at + 1));
  const withSteps = runEta(state);
  t.is(withSteps.scope, 'run');
  t.is(withSteps.seconds, (72 - 13) * state.secondsPerStep!);
  const { runStep: _a, runSteps: _b, ...plain } = state.step!;
  t.deepEqual(runEta({ ...state, step: plain }), { seconds: plain.etaSeconds, scope: 'phase' });
  const inLast = fold(events.slice(0, indexOf((e) => e.type === 'step' && e.phase === 'two') + 1));
  const { runStep: _c, runSteps: _d, ...last } = inLast.step!;
  t.deepEqual(runEta({ ...inLast, step: last }), { seconds: last.etaSeconds, scope: 'run' });
});
