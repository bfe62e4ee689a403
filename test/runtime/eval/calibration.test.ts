/**
 * Temperature scaling (runtime/eval/calibration.ts) against PyTorch: the NLL-optimal temperature
 * of fixture logits, found there by LBFGS on log T (scripts/fixtures/make_calibration_fixtures.py).
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { fitTemperature } from '../../../runtime/eval/calibration.ts';

interface Case {
  readonly name: string;
  readonly n: number;
  readonly classes: number;
  readonly logits: number[];
  readonly labels: number[];
  readonly temperature: number;
  readonly nllAtTemperature: number;
  readonly nllAtOne: number;
}

const { cases } = JSON.parse(
  readFileSync(new URL('../../fixtures/calibration/temperature.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

/** Mean NLL of softmax(logits / t), in float64, written independently of the implementation. */
function nll(c: Case, t: number): number {
  let sum = 0;
  for (let i = 0; i < c.n; i++) {
    const row = c.logits.slice(i * c.classes, (i + 1) * c.classes).map((z) => z / t);
    const max = Math.max(...row);
    sum += max + Math.log(row.reduce((s, z) => s + Math.exp(z - max), 0)) - row[c.labels[i]!]!;
  }
  return sum / c.n;
}

for (const c of cases) {
  test(`the fitted temperature matches PyTorch's LBFGS: ${c.name}`, (t) => {
    const fitted = fitTemperature(Float32Array.from(c.logits), Int32Array.from(c.labels), c.classes);
    t.true(Math.abs(fitted - c.temperature) / c.temperature < 1e-6, `fitted ${fitted}, PyTorch ${c.temperature}`);
    t.true(Math.abs(nll(c, fitted) - c.nllAtTemperature) < 1e-9);
    t.true(Math.abs(nll(c, 1) - c.nllAtOne) < 1e-9, 'the reference NLL agrees with PyTorch at T = 1');
    t.true(nll(c, fitted) <= Math.min(nll(c, fitted * 1.01), nll(c, fitted / 1.01)));
  });
}

test('the temperatures of the fixture cover both directions (over- and under-confident)', (t) => {
  t.true(cases.some((c) => c.temperature > 2) && cases.some((c) => c.temperature < 0.5));
});

test('bad input is refused with a message, not a silent default', (t) => {
  t.throws(() => fitTemperature(new Float32Array(0), new Int32Array(0), 10), { message: /at least one image/ });
  t.throws(() => fitTemperature(new Float32Array(7), new Int32Array(1), 10), {
    message: /7 logits for 1 images of 10 classes/,
  });
});
