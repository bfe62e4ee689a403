/**
 * Text-head initialisation: the shipped small text encoder (weights/vl-fmnist-text.json +
 * weights/vl-words.json) reproduces the MNIST class embeddings PyTorch computed at the end of
 * its pretraining (test/fixtures/vl-fmnist/, scripts/pretrain/train_vl_fmnist.py); the
 * precomputed-embeddings form picks rows by class name; bad input names the file and the problem.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { fileClassEmbeddings } from '../../../runtime/text/embeddings_file.ts';
import { tokenize } from '../../../runtime/text/word_vectors.ts';
import { readNpy } from '../../../runtime/weights/npy.ts';

const root = join(import.meta.dirname, '../../..');
const MNIST = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const encoderFile = join(root, 'weights/vl-fmnist-text.json');

test('the shipped text encoder gives the MNIST class embeddings PyTorch computed, within 1e-5', (t) => {
  const { rows, source } = fileClassEmbeddings({
    file: encoderFile,
    classes: 10,
    classnames: MNIST,
    template: 'a photo of a {}',
    embedDim: 64,
  });
  t.is(source, 'text-encoder');
  const expected = readNpy(join(root, 'test/fixtures/vl-fmnist/mnist_class_embeddings.npy'));
  t.deepEqual([...expected.shape], [10, 64]);
  const want = expected.data as Float32Array;
  const diff = rows.reduce(
    (m, row, c) => row.reduce((mm, v, i) => Math.max(mm, Math.abs(v - want[c * 64 + i]!)), m),
    0,
  );
  t.true(diff < 1e-5, `max abs diff ${diff}`);
  rows.forEach((row) => t.true(Math.abs(Math.hypot(...row) - 1) < 1e-5));
});

test('the template matters: another template gives other embeddings', (t) => {
  const a = fileClassEmbeddings({
    file: encoderFile,
    classes: 10,
    classnames: MNIST,
    template: 'a photo of a {}',
    embedDim: 64,
  }).rows;
  const b = fileClassEmbeddings({
    file: encoderFile,
    classes: 10,
    classnames: MNIST,
    template: 'a drawing of a {}',
    embedDim: 64,
  }).rows;
  t.true(Math.abs(a[0]![0]! - b[0]![0]!) > 1e-6);
});

test('tokenisation lower-cases and keeps hyphens; words the source lacks ("a") are ignored', (t) => {
  t.deepEqual(tokenize('A photo of a T-Shirt/top'), ['a', 'photo', 'of', 'a', 't-shirt', 'top']);
  const withArticle = fileClassEmbeddings({
    file: encoderFile,
    classes: 1,
    classnames: ['zero'],
    template: 'a {}',
    embedDim: 64,
  }).rows[0]!;
  const bare = fileClassEmbeddings({
    file: encoderFile,
    classes: 1,
    classnames: ['zero'],
    template: '{}',
    embedDim: 64,
  }).rows[0]!;
  t.deepEqual(Array.from(withArticle), Array.from(bare));
});

function scratch(name: string, content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lpt-text-')), name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

test('precomputed embeddings: rows picked by class name, normalised; a missing class is named', (t) => {
  const file = scratch('emb.json', {
    names: ['cat', 'dog', 'bird'],
    embeddings: [
      [3, 4],
      [0, 2],
      [1, 0],
    ],
  });
  const { rows, source } = fileClassEmbeddings({
    file,
    classes: 2,
    classnames: ['dog', 'cat'],
    template: '{}',
    embedDim: 2,
  });
  t.is(source, 'precomputed');
  t.deepEqual(
    rows.map((r) => Array.from(r)),
    [
      [0, 1],
      [0.6000000238418579, 0.800000011920929],
    ],
  );
  t.throws(() => fileClassEmbeddings({ file, classes: 1, classnames: ['fox'], template: '{}', embedDim: 2 }), {
    message: /emb\.json: has no embedding for the class 'fox'/,
  });
  t.throws(() => fileClassEmbeddings({ file, classes: 3, classnames: null, template: '{}', embedDim: 5 }), {
    message: /embeddings are 2-d but the head's embed_dim is 5/,
  });
  t.throws(() => fileClassEmbeddings({ file, classes: 4, classnames: null, template: '{}', embedDim: 2 }), {
    message: /gives 3 class embeddings for 4 classes/,
  });
});

test('a word the encoder has no vector for is named with its prompt', (t) => {
  t.throws(
    () =>
      fileClassEmbeddings({
        file: encoderFile,
        classes: 1,
        classnames: ['zebra'],
        template: 'a photo of a {}',
        embedDim: 64,
      }),
    {
      message: /vl-words\.json: has no vector for the word 'zebra' \(in the prompt 'a photo of a zebra'\)/,
    },
  );
  t.throws(
    () =>
      fileClassEmbeddings({
        file: encoderFile,
        classes: 10,
        classnames: null,
        template: 'a photo of a {}',
        embedDim: 64,
      }),
    { message: /needs `classnames`/ },
  );
});
