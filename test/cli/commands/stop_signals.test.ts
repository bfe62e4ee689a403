import test from 'ava';
import {
  holdStopSignals,
  settledStopCheck,
  stoppedExitCode,
  withStopSignals,
} from '../../../cli/commands/stop_signals.ts';

test('stopped runs exit with 128 + the signal number', (t) => {
  t.deepEqual([stoppedExitCode('SIGINT'), stoppedExitCode('SIGTERM'), stoppedExitCode('SIGHUP')], [130, 143, 129]);
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test.serial(`${signal} asks for a stop; a second signal forces the exit`, async (t) => {
    const said: string[] = [];
    const exits: number[] = [];
    const { value, stoppedBy } = await withStopSignals(
      async (shouldStop) => {
        const before = await shouldStop();
        process.emit(signal);
        const after = await shouldStop();
        process.emit('SIGTERM');
        return [before, after];
      },
      (text) => said.push(text),
      (code) => exits.push(code),
    );
    t.deepEqual(value, [false, true]);
    t.is(stoppedBy, signal);
    t.is(said.length, 1);
    t.regex(said[0]!, new RegExp(`${signal}: stopping after the current step and writing a checkpoint`));
    t.deepEqual(exits, [143]);
    t.is(process.listenerCount(signal), 0, 'the handlers are removed afterwards');
  });
}

// Two signals sent together reach the main thread one after the other through libuv's signal pipe;
// the stop is held back while the event loop runs, so the second one still quits at once.
test.serial(
  'a second signal that arrives while the stop settles forces the exit before the body acts on the stop',
  async (t) => {
    const exits: number[] = [];
    const seen: number[][] = [];
    await withStopSignals(
      async (shouldStop) => {
        process.emit('SIGHUP');
        const asked = shouldStop();
        t.not(asked, true, 'not answered at once');
        setTimeout(() => process.emit('SIGTERM'), 5);
        const answer = await asked;
        seen.push([...exits]);
        return answer;
      },
      () => {},
      (code) => exits.push(code),
      200,
    );
    t.deepEqual(seen, [[143]], 'the forced exit came before the stop was acted on');
  },
);

test('a settled stop check answers false at once while nothing was requested, then true after the wait', async (t) => {
  let requested = false;
  const check = settledStopCheck(() => requested, 30);
  t.is(check(), false);
  requested = true;
  const started = performance.now();
  const first = check();
  t.true(first instanceof Promise);
  t.is(await first, true);
  t.true(performance.now() - started >= 25, 'held back for the settle time');
  t.is(check(), first, 'the same answer afterwards');
});

test.serial('a hold remembers the first stop signal and a second one exits at once, until it hands over', (t) => {
  const exits: number[] = [];
  const hold = holdStopSignals((code) => exits.push(code));
  t.is(hold.stoppedBy(), null);
  process.emit('SIGTERM');
  t.is(hold.stoppedBy(), 'SIGTERM');
  t.deepEqual(exits, []);
  process.emit('SIGINT');
  t.deepEqual(exits, [130]);
  hold.handOver();
  process.emit('SIGHUP');
  t.deepEqual(exits, [130], "after handOver the next stage's handler alone acts");
  hold.release();
  t.is(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM') + process.listenerCount('SIGHUP'), 0);
});

// Node restores a signal's default action (death by the signal) when its last listener goes: the
// hold's listener outlives each stage's own, so no Ctrl-C falls between submitting and following.
test.serial(
  "a hold keeps every stop signal listened to while one stage's handler goes and the next comes",
  async (t) => {
    const hold = holdStopSignals(() => t.fail('no forced exit'));
    const listened = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    await withStopSignals(async () => t.deepEqual(listened(), [2, 2, 2]));
    t.deepEqual(listened(), [1, 1, 1], 'the first stage let go; the hold still listens');
    hold.handOver();
    const { stoppedBy } = await withStopSignals(
      async (shouldStop) => {
        process.emit('SIGINT');
        return shouldStop();
      },
      () => {},
    );
    t.is(stoppedBy, 'SIGINT', "the second stage's handler got the signal");
    hold.release();
    t.deepEqual(listened(), [0, 0, 0]);
  },
);
