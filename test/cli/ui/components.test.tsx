import test from 'ava';
import { render } from 'ink-testing-library';
import { Header } from '../../../cli/ui/header.tsx';
import { Losses } from '../../../cli/ui/losses.tsx';
import { PhaseList } from '../../../cli/ui/phase_list.tsx';
import { ShotTable } from '../../../cli/ui/shot_table.tsx';
import type { RunStartEvent, StepEvent } from '../../../runtime/events.ts';

const flat = (frame: string | undefined) => (frame ?? '').replace(/\s+/g, ' ');

test('Header names the run, the backend and the trainable share, and a resume', (t) => {
  const run: RunStartEvent = {
    type: 'run_start',
    experiment: 'places-lt',
    variant: 'LPT',
    backend: 'cpu',
    backendReason: 'wasm failed to load',
    planHash: 'sha256:0',
    runDir: 'runs/p',
    trainableParams: 1_030_000,
    backboneParams: 85_800_000,
    shots: { many: 131, medium: 259, few: 975, boundaries: 'b' },
    trainImages: 62_500,
    testImages: 36_500,
    phases: ['one'],
    resumedFrom: 'runs/p/checkpoints/LPT/one-e3-s10.safetensors',
  };
  const frame = flat(render(<Header run={run} />).lastFrame());
  t.regex(frame, /places-lt \/ LPT backend cpu \(wasm failed to load\)/);
  t.regex(frame, /1\.03M params = 1\.20% of the 85\.8M backbone/);
  t.regex(frame, /many 131 · medium 259 · few 975/);
  t.regex(frame, /resumed from runs\/p\/checkpoints/);
});

test('Losses lists total first, each term with a sparkline, then lr and throughput', (t) => {
  const step: StepEvent = {
    type: 'step',
    variant: 'LPT',
    phase: 'two',
    epoch: 0,
    step: 0,
    stepsPerEpoch: 4,
    losses: { agcl: 0.9, matching: -0.3, total: 0.6 },
    lr: 0.02,
    imagesPerSecond: 13.74,
    etaSeconds: 10,
    tensors: 7,
    bytes: 3 * 1024 ** 2,
  };
  const frame =
    render(<Losses step={step} history={{ total: [1, 0.8, 0.6], agcl: [1.2, 1, 0.9] }} />).lastFrame() ?? '';
  const lines = frame.split('\n');
  t.regex(lines[0]!, /^total\s+0\.6000\s+█▅▁$/);
  t.regex(lines[1]!, /^agcl\s+0\.9000\s+█▃▁$/);
  t.regex(lines[2]!, /^matching\s+-0\.3000/);
  t.regex(flat(frame), /lr 2\.00e-2 · 13\.7 img\/s · 7 tensors, 3\.0 MiB/);
});

test('Losses adds the GPU bytes allocated, and the pooled part, on webgpu', (t) => {
  const step: StepEvent = {
    type: 'step',
    variant: 'LPT',
    phase: 'one',
    epoch: 0,
    step: 0,
    stepsPerEpoch: 4,
    losses: { total: 0.6 },
    lr: 0.02,
    imagesPerSecond: 13.74,
    etaSeconds: 10,
    tensors: 7,
    bytes: 3 * 1024 ** 2,
    gpuBytes: { live: 1024 ** 3, pooled: 512 * 1024 ** 2 },
  };
  const frame = flat(render(<Losses step={step} history={{}} />).lastFrame());
  t.regex(frame, /7 tensors, 3\.0 MiB · GPU 1\.50 GiB \(512\.0 MiB pooled\)/);
  t.notRegex(flat(render(<Losses step={{ ...step, gpuBytes: undefined }} history={{}} />).lastFrame()), /GPU/);
});

test('ShotTable prints a dash for a group without classes and the boundaries', (t) => {
  const frame =
    render(
      <ShotTable
        evaluation={{
          type: 'evaluation',
          variant: 'VPT',
          phase: 'one',
          split: 'test',
          boundaries: 'many: n>100, few: n<20, medium: the rest',
          accuracy: { overall: 50, many: 60, medium: NaN, few: 12.345 },
        }}
      />,
    ).lastFrame() ?? '';
  t.regex(frame, /overall\s+many\s+medium\s+few\n\s+50\.0\s+60\.0\s+–\s+12\.3/);
  t.regex(frame, /shot groups: many: n>100, few: n<20, medium: the rest/);
});

test('PhaseList marks done, running, stopped and pending phases', (t) => {
  const phases = [
    { name: 'one', status: 'done' as const, seconds: 65 },
    { name: 'two', status: 'running' as const },
    { name: 'three', status: 'pending' as const },
  ];
  t.regex(flat(render(<PhaseList phases={phases} />).lastFrame()), /✔ one 1:05 ▶ two · three/);
  t.regex(flat(render(<PhaseList phases={phases} stopped />).lastFrame()), /■ two \(stopped\)/);
});
