import test from 'ava';
import {
  formatBytes,
  formatDuration,
  formatLosses,
  formatLr,
  shotTableLines,
  stepPosition,
} from '../../../cli/render/format.ts';

test('durations read as a clock', (t) => {
  t.is(formatDuration(7.4), '0:07');
  t.is(formatDuration(185), '3:05');
  t.is(formatDuration(3729), '1:02:09');
  t.is(formatDuration(NaN), '--:--');
  t.is(formatDuration(-1), '--:--');
});

test('learning rates, bytes and losses', (t) => {
  t.is(formatLr(0.02), '2.00e-2');
  t.is(formatLr(0), '0');
  t.is(formatBytes(512), '512 B');
  t.is(formatBytes(38_214_656), '36.4 MiB');
  t.is(formatLosses({ agcl: 1.5, total: 1.25 }), 'total 1.2500  agcl 1.5000');
});

test('step positions count from 1 for people', (t) => {
  t.deepEqual(stepPosition({ epoch: 0, step: 11, stepsPerEpoch: 12 }, 3), { epoch: 1, epochs: 3, step: 12, steps: 12 });
});

test('the shot table aligns names over values', (t) => {
  const [names, values] = shotTableLines({ overall: 91.23, many: 98, medium: 90.1, few: NaN });
  t.is(names, 'overall  many  medium  few');
  t.is(values, '   91.2  98.0    90.1    –');
});
