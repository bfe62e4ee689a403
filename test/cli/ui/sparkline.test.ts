import test from 'ava';
import { bar, sparkline } from '../../../cli/ui/sparkline.ts';

test('a sparkline maps its min to ▁ and its max to █, one cell per value', (t) => {
  t.is(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8), '▁▂▃▄▅▆▇█');
  t.is(sparkline([8, 1], 8), '█▁');
});

test('a sparkline shows only the last `width` values; flat and empty series stay readable', (t) => {
  t.is(sparkline([100, 0, 1], 2), '▁█');
  t.is(sparkline([2, 2, 2], 8), '▄▄▄');
  t.is(sparkline([], 8), '');
  t.is(sparkline([1, NaN, 3], 8), '▁ █');
});

test('a progress bar fills in proportion and clamps out-of-range fractions', (t) => {
  t.is(bar(0.5, 10), '█████░░░░░');
  t.is(bar(1.7, 4), '████');
  t.is(bar(-1, 4), '░░░░');
  t.is(bar(NaN, 3), '░░░');
});
