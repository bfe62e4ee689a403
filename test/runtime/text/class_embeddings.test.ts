import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeCompilerHost } from '../../../compiler/node_host.ts';
import { compile } from '../../../compiler/compile.ts';
import { classEmbeddings, type TextHead } from '../../../runtime/text/class_embeddings.ts';
import { textEmbeddingCacheDir } from '../../../runtime/text/text_cache.ts';
import { loadBackboneWeights } from '../../../runtime/weights/load.ts';
import { TextInputError } from '../../../runtime/text/text_inputs.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { withTempDirAsync } from '../weights/fixtures.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/clip_text');
const reference = JSON.parse(readFileSync(join(fixtures, 'encoder.json'), 'utf8')) as {
  texts: string[];
  embeddings: number[][];
};

test.before(async () => {
  await useTestBackend();
});

/** A tiny experiment whose VL expert runs on the fixture CLIP checkpoint and whose head names the encoder. */
const experiment = `
experiment tiny_vl {
  classes 2
  backbone clip = vit(image: 16, patch: 4, dim: 16, depth: 1, heads: 1, channels: 3, eps: 1e-5, weights: "clip.safetensors", naming: clip)
  data {
    train = image_folder(root: "images")
    test  = image_folder(root: "images")
  }
  prompt p = deep(length: 2) on clip
  head words = text(encoder: clip, template: "a photo of a {}.", classes: "names.txt", embed_dim: 6, tune: true)
  phase one { train p, words; epochs 1; batch 2 }
  evaluate test { }
}
`;

function compileTextHead(dir: string): TextHead {
  writeFileSync(join(dir, 'exp.lpt'), experiment);
  const { diagnostics, plans } = compile(join(dir, 'exp.lpt'), nodeCompilerHost(dir), { runtimeSupport: false });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || plans.length !== 1) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  const head = plans[0]!.modules.heads.find((h) => h.name === 'words');
  if (head?.kind !== 'text') throw new Error('no text head');
  return head;
}

const rowsDiff = (data: Float32Array, rows: number[][]) =>
  Math.max(...rows.flat().map((v, i) => Math.abs(v - data[i]!)));

test.serial(
  'an experiment naming the encoder gets the reference class embeddings, computed once and then read from the cache',
  async (t) => {
    await withTempDirAsync(async (dir) => {
      copyFileSync(join(fixtures, 'text.clip.safetensors'), join(dir, 'clip.safetensors'));
      writeFileSync(join(dir, 'names.txt'), 'dog\nairfield\n');
      const head = compileTextHead(dir);
      t.like(head, {
        embeddings: null,
        classnames: 'names.txt',
        template: 'a photo of a {}.',
        embedDim: 6,
        encoder: {
          backbone: 'clip',
          weights: 'clip.safetensors',
          format: 'safetensors',
          naming: 'clip',
          act: 'quick_gelu',
        },
      });

      const cacheDir = textEmbeddingCacheDir(join(dir, 'runs'));
      const notes: string[] = [];
      const before = tf.memory().numTensors;
      const first = await classEmbeddings(head, { cacheDir, cwd: dir, onNote: (n) => notes.push(n) });
      t.is(tf.memory().numTensors, before, 'the text tower is disposed');
      t.false(first.fromCache);
      t.deepEqual(first.embeddings.shape, [2, 6]);
      // The fixture's first two texts are "a photo of a dog." and "a photo of a airfield.".
      t.true(rowsDiff(first.embeddings.data, reference.embeddings.slice(0, 2)) <= 1e-4);
      t.is(notes.length, 1);
      t.regex(notes[0]!, /^text head 'words': embedded 2 class names with CLIP text: width 8/);

      const second = await classEmbeddings(head, { cacheDir, cwd: dir, onNote: (n) => notes.push(n) });
      t.true(second.fromCache);
      t.is(second.path, first.path);
      t.deepEqual(second.embeddings.data, first.embeddings.data);
      t.is(notes.length, 1, 'nothing recomputed');

      const other = await classEmbeddings({ ...head, template: 'a {} in a photo.' }, { cacheDir, cwd: dir });
      t.false(other.fromCache, 'another template is another key');
      writeFileSync(join(dir, 'names.txt'), 'airfield\ndog\n');
      const swapped = await classEmbeddings(head, { cacheDir, cwd: dir });
      t.false(swapped.fromCache, 'another class list is another key');
      t.true(rowsDiff(swapped.embeddings.data, [reference.embeddings[1]!, reference.embeddings[0]!]) <= 1e-4);
      t.is(readdirSync(cacheDir).filter((f) => f.endsWith('.npy')).length, 3);
    });
  },
);

test.serial('a damaged cache entry is recomputed', async (t) => {
  await withTempDirAsync(async (dir) => {
    copyFileSync(join(fixtures, 'text.clip.safetensors'), join(dir, 'clip.safetensors'));
    writeFileSync(join(dir, 'names.txt'), 'dog\nairfield\n');
    const head = compileTextHead(dir);
    const cacheDir = join(dir, 'cache');
    const first = await classEmbeddings(head, { cacheDir, cwd: dir });
    writeFileSync(first.path, 'not an npy file');
    const again = await classEmbeddings(head, { cacheDir, cwd: dir });
    t.false(again.fromCache);
    t.deepEqual(again.embeddings.data, first.embeddings.data);
  });
});

test.serial('class lists that do not fit the experiment are refused, naming the file and line', async (t) => {
  await withTempDirAsync(async (dir) => {
    copyFileSync(join(fixtures, 'text.clip.safetensors'), join(dir, 'clip.safetensors'));
    writeFileSync(join(dir, 'names.txt'), 'dog\nairfield\n');
    const head = compileTextHead(dir);
    const options = { cacheDir: join(dir, 'cache'), cwd: dir };
    writeFileSync(join(dir, 'names.txt'), 'dog\n\nairfield\n');
    await t.throwsAsync(classEmbeddings(head, options), {
      instanceOf: TextInputError,
      message: `${join(dir, 'names.txt')}:2: empty line; every line must hold one class name (or text)`,
    });
    writeFileSync(join(dir, 'names.txt'), 'dog\nairfield\nbird\n');
    await t.throwsAsync(classEmbeddings(head, options), {
      instanceOf: TextInputError,
      message: /names\.txt: 3 class names, but the experiment has 2 classes/,
    });
    writeFileSync(join(dir, 'names.txt'), 'dog\nairfield\n');
    await t.throwsAsync(classEmbeddings({ ...head, embedDim: 16 }, options), {
      instanceOf: TextInputError,
      message: /gives 6-wide embeddings, but text head 'words' has embed_dim 16; write embed_dim: 6/,
    });
  });
});

test.serial('tiny_vl.lpt: one CLIP file serves as image backbone and text encoder', async (t) => {
  await withTempDirAsync(async (dir) => {
    const root = join(import.meta.dirname, '../../..');
    const { diagnostics, plans } = compile(join(fixtures, 'tiny_vl.lpt'), nodeCompilerHost(root), {
      runtimeSupport: false,
    });
    t.deepEqual(
      diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const plan = plans[0]!;
    const backbone = plan.backbones[0]!;
    const loaded = loadBackboneWeights(join(root, backbone.weights!.path), { naming: 'clip' });
    t.like(loaded.config, {
      imageSize: 28,
      patchSize: 7,
      channels: 1,
      dim: 16,
      depth: 1,
      activation: 'quick_gelu',
      projectionDim: 6,
    });
    const head = plan.modules.heads[0]!;
    if (head.kind !== 'text') return t.fail('no text head');
    const first = await classEmbeddings(head, { cacheDir: dir, cwd: root });
    t.deepEqual(first.embeddings.shape, [10, 6]);
    t.true((await classEmbeddings(head, { cacheDir: dir, cwd: root })).fromCache);
  });
});
