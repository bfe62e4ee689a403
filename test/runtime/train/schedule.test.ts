/**
 * Learning-rate schedules against torch.optim.lr_scheduler (test/fixtures/losses/schedule.json)
 * and against values worked out by hand.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { type LrSchedule, learningRate, learningRates, scaleLr } from '../../../runtime/train/schedule.ts';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/losses/schedule.json', import.meta.url), 'utf8')) as {
  cases: { schedule: LrSchedule; lrs: number[] }[];
};

for (const c of fixture.cases) {
  test(`${c.schedule.schedule.kind}${c.schedule.warmup ? ' with warm-up' : ''} matches torch's scheduler step by step`, (t) => {
    const ours = learningRates(c.schedule);
    t.is(ours.length, c.lrs.length);
    c.lrs.forEach((expected, step) =>
      t.true(Math.abs(ours[step]! - expected) <= 1e-12 + 1e-9 * expected, `step ${step}: ${ours[step]} vs ${expected}`),
    );
  });
}

test('cosine with one warm-up epoch: hand-computed points', (t) => {
  const s: LrSchedule = {
    baseLr: 0.1,
    epochs: 3,
    stepsPerEpoch: 10,
    schedule: { kind: 'cosine' },
    warmup: { epochs: 1 },
  };
  t.is(learningRate(s, 0), 1e-6);
  t.true(Math.abs(learningRate(s, 5) - (1e-6 + (0.1 - 1e-6) / 2)) < 1e-15);
  t.is(learningRate(s, 10), 0.1); // warm-up done: cosine starts at the base rate
  t.true(Math.abs(learningRate(s, 20) - 0.05) < 1e-15); // half-way through the 20 cosine steps
  t.true(learningRate(s, 29) > 0 && learningRate(s, 29) < 0.001);
});

test('constant stays at the base rate after warm-up; step decays at milestone epochs', (t) => {
  const constant: LrSchedule = {
    baseLr: 0.3,
    epochs: 2,
    stepsPerEpoch: 4,
    schedule: { kind: 'constant' },
    warmup: { epochs: 0.5, from: 0.1 },
  };
  t.deepEqual(Array.from(learningRates(constant)), [0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]);
  const step: LrSchedule = {
    baseLr: 1,
    epochs: 4,
    stepsPerEpoch: 2,
    schedule: { kind: 'step', milestones: [1, 3], gamma: 0.5 },
  };
  t.deepEqual(Array.from(learningRates(step)), [1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25]);
});

test('linear scaling with the batch size: LPT phase 2 at batch 64 is 0.005', (t) => {
  t.is(scaleLr(0.02, 64, 256), 0.005);
  t.is(scaleLr(0.02, 512, 256), 0.04);
  t.throws(() => scaleLr(0.02, 0, 256));
});

const timm = JSON.parse(readFileSync(new URL('../../fixtures/losses/timm_schedule.json', import.meta.url), 'utf8')) as {
  source: string;
  cases: { schedule: LrSchedule; lrs: number[] }[];
};

for (const c of timm.cases) {
  const s = c.schedule;
  test(`per-epoch cosine (${s.epochs} epochs, warm-up ${s.warmup?.epochs}) matches ${timm.source} as the authors step it`, (t) => {
    const ours = learningRates(s);
    t.is(ours.length, c.lrs.length);
    c.lrs.forEach((expected, step) =>
      t.true(
        Math.abs(ours[step]! - expected) <= 1e-15 + 1e-12 * expected,
        `step ${step}: ${ours[step]} vs ${expected}`,
      ),
    );
  });
}

test('per epoch: the whole warm-up epoch runs at warmup_from, and the rate is constant within an epoch', (t) => {
  const s: LrSchedule = {
    baseLr: 0.02,
    epochs: 4,
    stepsPerEpoch: 3,
    schedule: { kind: 'cosine' },
    warmup: { epochs: 1 },
    per: 'epoch',
  };
  t.deepEqual(Array.from(learningRates(s)).slice(0, 3), [1e-6, 1e-6, 1e-6]);
  t.true(Math.abs(learningRate(s, 3) - 0.01 * (1 + Math.cos(Math.PI / 4))) < 1e-15); // cosine counts epochs from the phase start
  t.is(learningRate(s, 6), learningRate(s, 8));
});

test("a plan's per-epoch schedule reaches the phase's learning rates", async (t) => {
  const { phaseSchedule } = await import('../../../runtime/run/phase.ts');
  const phase = {
    name: 'two',
    epochs: 3,
    optimizer: { lr: 0.02 },
    schedule: { kind: 'cosine', minLr: 0, warmupEpochs: 1, warmupFrom: 1e-6, per: 'epoch' },
  } as unknown as Parameters<typeof phaseSchedule>[0];
  const rates = Array.from(learningRates(phaseSchedule(phase, 4)));
  t.deepEqual(rates.slice(0, 4), [1e-6, 1e-6, 1e-6, 1e-6]);
  t.is(new Set(rates.slice(4, 8)).size, 1);
  t.true(Math.abs(rates[4]! - 0.01 * (1 + Math.cos(Math.PI / 3))) < 1e-15);
});
