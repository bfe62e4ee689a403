import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedTexts } from '../../../runtime/text/embed_texts.ts';
import { loadTextWeights, type LoadTextOptions } from '../../../runtime/text/load_text.ts';
import { createTextEncoder, disposeTextEncoder } from '../../../runtime/text/text_encoder.ts';
import { clipTokenizer } from '../../../runtime/text/tokenizer.ts';
import { WeightsError } from '../../../runtime/weights/errors.ts';
import { writeSafetensors } from '../../../runtime/weights/safetensors.ts';
import { readWeightFile } from '../../../runtime/weights/format.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { withTempDirAsync } from '../weights/fixtures.ts';

const dir = join(import.meta.dirname, '../../fixtures/clip_text');
const reference = JSON.parse(readFileSync(join(dir, 'encoder.json'), 'utf8')) as {
  texts: string[];
  ids: number[][];
  features: number[][];
  embeddings: number[][];
  config: { width: number; heads: number; depth: number; mlp: number; embed: number; context: number; vocab: number };
};

test.before(async () => {
  await useTestBackend();
});

const namings: { file: string; options: LoadTextOptions }[] = [
  { file: 'text.clip.safetensors', options: { naming: 'clip' } },
  // open_clip's default activation is GELU; this checkpoint, like OpenAI's, uses QuickGELU.
  { file: 'text.open_clip.safetensors', options: { naming: 'open_clip', activation: 'quick_gelu' } },
  { file: 'text.hf.safetensors', options: { naming: 'hf' } },
];

function maxAbsDiff(actual: Float32Array, expected: readonly number[][]): number {
  return Math.max(...expected.flat().map((v, i) => Math.abs(v - actual[i]!)));
}

for (const { file, options } of namings) {
  test.serial(
    `${options.naming} naming: the architecture is inferred and embeddings match PyTorch within 1e-4`,
    async (t) => {
      const loaded = loadTextWeights(join(dir, file), options);
      const c = reference.config;
      t.like(loaded.config, {
        width: c.width,
        heads: c.heads,
        depth: c.depth,
        mlpDim: c.mlp,
        embedDim: c.embed,
        context: c.context,
        vocabSize: c.vocab,
        activation: 'quick_gelu',
        layerNormEps: 1e-5,
      });
      const encoder = createTextEncoder(loaded.config, loaded.tensors);
      const before = tf.memory().numTensors;
      try {
        const raw = await embedTexts(encoder, reference.texts, { batchSize: 4, normalize: false });
        const normed = await embedTexts(encoder, reference.texts, { batchSize: 4 });
        t.deepEqual(raw.shape, [reference.texts.length, c.embed]);
        const rawDiff = maxAbsDiff(raw.data, reference.features);
        const normDiff = maxAbsDiff(normed.data, reference.embeddings);
        t.true(rawDiff <= 1e-4, `features differ by ${rawDiff}`);
        t.true(normDiff <= 1e-4, `embeddings differ by ${normDiff}`);
        t.is(tf.memory().numTensors, before, 'no tensor outlives a batch');
      } finally {
        disposeTextEncoder(encoder);
      }
    },
  );
}

test('the reference ids are the tokenizer ids', (t) => {
  t.deepEqual(
    reference.texts.map((s) => clipTokenizer().tokenize(s)),
    reference.ids,
  );
});

test.serial('GELU instead of QuickGELU changes the embeddings (the activation matters)', async (t) => {
  const loaded = loadTextWeights(join(dir, 'text.open_clip.safetensors'), { naming: 'open_clip' });
  t.is(loaded.config.activation, 'gelu');
  const encoder = createTextEncoder(loaded.config, loaded.tensors);
  try {
    t.true(maxAbsDiff((await embedTexts(encoder, reference.texts)).data, reference.embeddings) > 1e-3);
  } finally {
    disposeTextEncoder(encoder);
  }
});

test('a checkpoint without a text tower is refused, naming the file', async (t) => {
  await withTempDirAsync(async (tmp) => {
    const path = join(tmp, 'visual_only.safetensors');
    const visual = new Map(
      [...readWeightFile(join(dir, 'text.clip.safetensors')).tensors].filter(([n]) => n.startsWith('visual.')),
    );
    writeSafetensors(path, visual);
    const error = t.throws(() => loadTextWeights(path, { naming: 'clip' }), { instanceOf: WeightsError });
    t.is(error?.kind, 'missing');
    t.true(error!.message.startsWith(`${path}: holds no CLIP text tower`), error!.message);
  });
});

test('a mis-shaped tensor is named as the file names it', async (t) => {
  await withTempDirAsync(async (tmp) => {
    const path = join(tmp, 'bad.safetensors');
    const tensors = new Map(readWeightFile(join(dir, 'text.hf.safetensors')).tensors);
    tensors.set('text_model.encoder.layers.1.mlp.fc2.bias', {
      dtype: 'float32',
      shape: [5],
      data: new Float32Array(5),
    });
    writeSafetensors(path, tensors, { 'lpt.text_heads': '2' });
    const error = t.throws(() => loadTextWeights(path, { naming: 'hf' }), { instanceOf: WeightsError });
    t.is(error?.kind, 'shape');
    t.regex(error!.message, /tensor 'text_model\.encoder\.layers\.1\.mlp\.fc2\.bias': has shape \[5\], expected \[8\]/);
  });
});

test('a missing tensor is listed', async (t) => {
  await withTempDirAsync(async (tmp) => {
    const path = join(tmp, 'partial.safetensors');
    const tensors = new Map(readWeightFile(join(dir, 'text.clip.safetensors')).tensors);
    tensors.delete('ln_final.bias');
    writeSafetensors(path, tensors);
    const error = t.throws(() => loadTextWeights(path, { naming: 'clip' }), { instanceOf: WeightsError });
    t.regex(error!.message, /lacks 1 text-tower tensor\(s\) .*'ln_final\.bias'/);
  });
});
