import test from 'ava';
import { stoppedExitCode, withStopSignals } from '../../../cli/commands/stopSignals.ts';

test('stopped runs exit with 128 + the signal number', (t) => {
  t.deepEqual([stoppedExitCode('SIGINT'), stoppedExitCode('SIGTERM'), stoppedExitCode('SIGHUP')], [130, 143, 129]);
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test.serial(`${signal} asks for a stop; a second signal forces the exit`, async (t) => {
    const said: string[] = [];
    const exits: number[] = [];
    const { value, stoppedBy } = await withStopSignals(
      async (shouldStop) => {
        const before = shouldStop();
        process.emit(signal);
        const after = shouldStop();
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
