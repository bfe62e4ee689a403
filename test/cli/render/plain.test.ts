import test from 'ava';
import { createPlainSink } from '../../../cli/render/plain.ts';
import { syntheticRunEvents } from '../../../cli/render/synthetic_run.ts';
import type { TimedEvent } from '../../../cli/render/event_log.ts';

function renderPlain(events: readonly TimedEvent[], options = {}): string[] {
  let text = '';
  const sink = createPlainSink({ write: (s: string) => (text += s) }, options);
  events.forEach(sink);
  return text.split('\n').slice(0, -1);
}

const events = syntheticRunEvents();

test('the header names experiment, variant, backend and reason, trainable share and shot counts', (t) => {
  const lines = renderPlain(events.slice(0, 1));
  t.is(
    lines[0],
    'run quickstart / LPT: backend wasm (@tensorflow/tfjs-node is not installed; wasm (SIMD) is the fastest available)',
  );
  t.regex(lines[1]!, /trainable 12\.7K params = 1\.89% of the backbone \(670K\); train 1238 images, test 10000/);
  t.regex(lines[2]!, /many 4, medium 3, few 3 \(many: n>100, few: n<=20, medium: the rest\)/);
});

test('step lines are throttled by time, with the first step and every epoch end always shown', (t) => {
  const lines = renderPlain(events, { intervalSeconds: 1e9 }).filter((l) => /^ {2}\w+\/\w+ epoch/.test(l));
  const positions = lines.map((l) => /(\w+)\/(\w+) epoch (\d+)\/3 step (\d+)\/12/.exec(l)!.slice(2).join(' '));
  t.deepEqual(positions, [
    'one 1 1',
    'one 1 12',
    'one 2 12',
    'one 3 12',
    'two 1 1',
    'two 1 12',
    'two 2 12',
    'two 3 12',
  ]);
  const everyStep = renderPlain(events, { intervalSeconds: 0 }).filter((l) => /^ {2}\w+\/\w+ epoch/.test(l));
  t.is(everyStep.length, 72);
  const everyFifth = renderPlain(events, { intervalSeconds: 1e9, everySteps: 5 }).filter((l) =>
    /^ {2}\w+\/\w+ epoch/.test(l),
  );
  t.true(everyFifth.some((l) => l.includes('epoch 1/3 step 6/12')));
});

test('a step line has every loss term, lr, throughput and ETA', (t) => {
  const line = renderPlain(events, { intervalSeconds: 1e9 }).find((l) => l.includes('LPT/two epoch 1/3 step 1/12'))!;
  t.regex(
    line,
    /total -?\d\.\d{4} {2}agcl \d\.\d{4} {2}matching -\d\.\d{4} {2}lr \d\.\d\de-\d {2}\d+\.\d img\/s {2}phase ETA \d+:\d\d$/,
  );
});

test('evaluations print a shot-group table with the boundaries; the end says where results are', (t) => {
  const lines = renderPlain(events);
  const at = lines.indexOf('eval LPT/one on test:');
  t.true(at > 0);
  t.regex(lines[at + 1]!, /overall\s+many\s+medium\s+few/);
  t.regex(lines[at + 2]!, /78\.4\s+96\.1\s+74\.2\s+41\.5/);
  t.is(lines[at + 3], '  shot groups: many: n>100, few: n<=20, medium: the rest');
  t.regex(lines.at(-1)!, /^run finished in \d+:\d\d; results in runs\/quickstart\/.*\/results\.json$/);
  t.true(lines.some((l) => /^checkpoint LPT\/one epoch 1 step 12: .*one-e0-s11\.safetensors$/.test(l)));
  t.true(lines.some((l) => l.startsWith('warning: experiments/quickstart.lpt:14:3')));
});

test('a stopped run prints the resume command; errors are prefixed', (t) => {
  const lines = renderPlain([
    { type: 'error', message: 'out of memory', time: 0 },
    { type: 'run_end', runDir: 'runs/q/1', seconds: 62, stopped: true, time: 1 },
  ]);
  t.deepEqual(lines, ['error: out of memory', 'run stopped after 1:02; resume with: npx lpt run --resume runs/q/1']);
});

test("a calibrated mixture's evaluation prints the experts' temperatures", (t) => {
  const accuracy = { overall: 61.8, many: 77, medium: 69.3, few: 34 };
  const lines = renderPlain([
    {
      type: 'evaluation',
      variant: 'avg',
      phase: 'two',
      split: 'val',
      model: 'mix',
      accuracy,
      boundaries: 'b',
      temperatures: { visual: 1.19194, vl: 1.4 },
      time: 0,
    },
  ]);
  t.is(lines.at(-1), '  calibrated: T(visual) = 1.192, T(vl) = 1.400');
});
