/** `to_rgb`: a grey source reaches a colour backbone only through it, and normalize counts the channels it makes. */
import test from 'ava';
import { codes, compileText } from '../helpers/compile_source.ts';

const colour = (pipeline: string) => `import "base.lpt"
experiment x extends base {
  backbone vit = vit(image: 28, patch: 7, dim: 64, depth: 6, heads: 4, channels: 3)
  data.train = mnist(split: train) | longtail(ratio: 100, max: 500) ${pipeline}
  data.test  = mnist(split: test) ${pipeline}
}`;

test('a grey source on a colour backbone needs to_rgb; with it the plan feeds 3 channels', (t) => {
  t.deepEqual(codes(compileText(colour('| normalize(mean: 0.5, std: 0.5)'))), [2090, 2090]);
  const result = compileText(colour('| to_rgb | normalize(mean: 0.5, std: 0.5)'));
  t.deepEqual(codes(result), []);
  const train = result.plans[0]!.data.splits.find((s) => s.name === 'train')!;
  t.is(train.channels, 3);
  t.deepEqual(train.transforms, [
    { kind: 'to_rgb' },
    { kind: 'normalize', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  ]);
});

test('normalize before to_rgb has one value per grey channel', (t) => {
  const result = compileText(colour('| normalize(mean: 0.5, std: 0.5) | to_rgb'));
  t.deepEqual(codes(result), []);
  t.deepEqual(result.plans[0]!.data.splits[0]!.transforms, [
    { kind: 'normalize', mean: [0.5], std: [0.5] },
    { kind: 'to_rgb' },
  ]);
});

test('to_rgb on a grey backbone is a channel mismatch at the to_rgb', (t) => {
  const source = `import "base.lpt"
experiment x extends base { data.test = mnist(split: test) | to_rgb }`;
  const result = compileText(source);
  t.deepEqual(codes(result), [2039]);
  t.is(result.diagnostics[0]!.span.start, source.indexOf('to_rgb'));
});
