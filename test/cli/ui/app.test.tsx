import test from 'ava';
import { render } from 'ink-testing-library';
import { App } from '../../../cli/ui/app.tsx';
import { createEventHub } from '../../../cli/ui/event_hub.ts';
import { syntheticRunEvents } from '../../../cli/render/synthetic_run.ts';
import type { TimedEvent } from '../../../cli/render/event_log.ts';

const tick = (ms = 60) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last frame with line wrapping undone (the test terminal is 100 columns wide). */
const flat = (app: { lastFrame: () => string | undefined }) => (app.lastFrame() ?? '').replace(/\s+/g, ' ');

/**
 * Renders are asynchronous: wait (up to 5 s) until a rendered frame matches, and return the
 * latest one that does. Frames are searched rather than only the last one because the app may
 * exit (and the test renderer blank its output) right after drawing the frame we look for.
 */
async function frameMatching(
  app: { lastFrame: () => string | undefined; frames: string[] },
  pattern: RegExp,
): Promise<string> {
  const find = () =>
    [...app.frames]
      .reverse()
      .map((f) => f.replace(/\s+/g, ' '))
      .find((f) => pattern.test(f));
  for (let waited = 0; waited < 5000 && find() === undefined; waited += 20) await tick(20);
  return find() ?? flat(app);
}
const events = syntheticRunEvents({ variants: ['LPT'] });
const upTo = (predicate: (e: TimedEvent) => boolean) => events.slice(0, events.findIndex(predicate) + 1);

function mount(options: { onStopRequested?: () => void; onForceQuit?: () => void } = {}) {
  const hub = createEventHub();
  const app = render(
    <App
      subscribe={hub.subscribe}
      onStopRequested={options.onStopRequested ?? (() => {})}
      onForceQuit={options.onForceQuit ?? (() => {})}
    />,
  );
  return {
    hub,
    app,
    send: async (list: readonly TimedEvent[]) => {
      list.forEach(hub.sink);
      await tick();
    },
  };
}

test('the header, phases, progress, losses and throughput follow the steps', async (t) => {
  const { app, send } = mount();
  await send(upTo((e) => e.type === 'step' && e.epoch === 1 && e.step === 5));
  const frame = await frameMatching(app, /step 18\/72/);
  t.regex(frame, /quickstart \/ LPT/);
  t.regex(frame, /backend wasm \(@tensorflow\/tfjs-node is not installed/);
  t.regex(frame, /12\.7K params = 1\.89% of the 670K backbone/);
  t.regex(frame, /▶ one/);
  t.regex(frame, /· two/);
  t.regex(frame, /epoch 2\/3 · step 6\/12/);
  t.regex(frame, /step 18\/72/);
  t.regex(frame, /agcl\s+\d\.\d{4}\s+[▁▂▃▄▅▆▇█]{10,}/);
  t.regex(frame, /img\/s/);
  t.regex(frame, /⚠ experiments\/quickstart\.lpt:14:3/);
  t.regex(frame, /press q to stop/);
  app.unmount();
});

test('a finished phase becomes a static line and the shot-group table shows its boundaries', async (t) => {
  const { app, send } = mount();
  await send(upTo((e) => e.type === 'evaluation'));
  const frame = await frameMatching(app, /shot groups/);
  t.regex(frame, /✔ LPT\/one 3 epochs in 1:25/);
  t.regex(frame, /✔ one 1:25/);
  t.regex(app.lastFrame() ?? '', /overall\s+many\s+medium\s+few\n\s+78\.4\s+96\.1\s+74\.2\s+41\.5/);
  t.regex(frame, /shot groups: many: n>100, few: n<=20, medium: the rest/);
  app.unmount();
});

test('q requests a graceful stop once; the UI then says how to resume', async (t) => {
  let stops = 0;
  let forced = 0;
  const { app, send } = mount({ onStopRequested: () => stops++, onForceQuit: () => forced++ });
  const partial = upTo((e) => e.type === 'step' && e.step === 3);
  await send(partial);
  await frameMatching(app, /press q to stop/);
  app.stdin.write('q');
  t.regex(await frameMatching(app, /stopping:/), /stopping: finishing the current step and writing a checkpoint/);
  t.is(stops, 1);
  app.stdin.write('q');
  await tick();
  t.is(stops, 1);
  t.is(forced, 0);
  const runDir = 'runs/quickstart/2026-11-26T21-30-00';
  await send([
    {
      type: 'checkpoint',
      variant: 'LPT',
      phase: 'one',
      epoch: 0,
      step: 3,
      path: `${runDir}/checkpoints/LPT/one-e0-s3.safetensors`,
      time: 1,
    },
    { type: 'run_end', runDir, seconds: 12, stopped: true, time: 2 },
  ]);
  const frame = await frameMatching(app, /resume with/);
  t.regex(frame, /■ stopped after 0:12 · checkpoint \S*one-e0-s3\.safetensors/);
  t.regex(frame, /resume with: npx lpt run --resume runs\/quickstart\/2026-11-26T21-30-00/);
  t.regex(frame, /■ one \(stopped\)/);
  app.unmount();
});

test('Ctrl-C is a stop request, and a second Ctrl-C force-quits', async (t) => {
  let stops = 0;
  let forced = 0;
  const { app, send } = mount({ onStopRequested: () => stops++, onForceQuit: () => forced++ });
  await send(events.slice(0, 3));
  await frameMatching(app, /press q to stop/);
  app.stdin.write('\u0003');
  await frameMatching(app, /stopping:/);
  t.deepEqual([stops, forced], [1, 0]);
  app.stdin.write('\u0003');
  await tick();
  t.deepEqual([stops, forced], [1, 1]);
  app.unmount();
});

test('a finished run names its results and the report command', async (t) => {
  const { app, send } = mount();
  await send(events);
  const frame = await frameMatching(app, /finished in/);
  t.regex(frame, /✔ finished in \d+:\d\d · results in runs\/quickstart\/[^ ]+\/results\.json/);
  t.regex(frame, /npx lpt report runs\/quickstart/);
  t.regex(frame, /✔ LPT\/two/);
  app.unmount();
});

test('unmounting unsubscribes from the event source', async (t) => {
  let listeners = 0;
  const subscribe = () => {
    listeners++;
    return () => {
      listeners--;
    };
  };
  const app = render(<App subscribe={subscribe} onStopRequested={() => {}} />);
  for (let waited = 0; waited < 3000 && listeners === 0; waited += 20) await tick(20);
  t.is(listeners, 1);
  app.unmount();
  await tick();
  t.is(listeners, 0);
});
