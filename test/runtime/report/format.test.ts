import test from 'ava';
import { formatAccuracy, formatParams, formatShare, formatTrainable } from '../../../runtime/report/format.ts';

test('parameters are written as the papers write them', (t) => {
  t.is(formatParams(1_031_680), '1.03M');
  t.is(formatParams(92_160), '92.2K');
  t.is(formatParams(512), '512');
  t.is(formatParams(85_800_000), '85.8M');
  t.is(formatParams(123_456_789), '123M');
});

test('shares and accuracies', (t) => {
  t.is(formatShare(1_030_000, 85_800_000), '1.20%');
  t.is(formatShare(30, 100), '30.0%');
  t.is(formatShare(1, 0), '–');
  t.is(formatTrainable(1_030_000, 85_800_000), '1.03M (1.20%)');
  t.is(formatAccuracy(91.25), '91.3');
  t.is(formatAccuracy(NaN), '–');
});
