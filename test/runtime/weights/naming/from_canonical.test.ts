/**
 * The writer's side of the naming tables: canonical tensors written under a scheme's names read
 * back to the same tensors, for every image and text naming (the converting ones through their
 * rules' inverses, given the head count); without the head count a converting scheme, a missing
 * tensor and one without a name are refused.
 */
import test from 'ava';
import { resolve } from 'node:path';
import { namingSchemes, toCanonical } from '../../../../runtime/weights/naming/index.ts';
import { fromCanonical } from '../../../../runtime/weights/naming/from_canonical.ts';
import { readSafetensors } from '../../../../runtime/weights/safetensors.ts';
import type { VitConfig } from '../../../../runtime/model/vit_config.ts';
import { vitWeightShapes } from '../../../../runtime/model/vit_weights.ts';
import { randomHostWeights } from '../../../../runtime/synthetic/random_weights.ts';
import { textWeightShapes, type TextConfig } from '../../../../runtime/text/text_config.ts';
import { filterWeights, type NamingScheme } from '../../../../runtime/weights/naming/scheme.ts';
import { textNamingSchemes } from '../../../../runtime/weights/naming/text/index.ts';
import type { FloatTensors } from '../../../../runtime/weights/tensor.ts';

const file = resolve('test/fixtures/export/weights/vit.safetensors');

test('timm names out and back in give the same tensors', (t) => {
  const { tensors, depth } = toCanonical(readSafetensors(file), 'timm', file);
  const written = fromCanonical(namingSchemes.timm, tensors, depth);
  t.true(written.has('blocks.1.attn.qkv.weight') && written.has('cls_token'));
  const again = toCanonical(written, 'timm', 'written');
  t.deepEqual(again.missing, []);
  t.deepEqual(again.unexpected, []);
  t.deepEqual(again.tensors, tensors);
});

test('a converting scheme, a missing tensor and a tensor without a name are refused', (t) => {
  const { tensors, depth } = toCanonical(readSafetensors(file), 'timm', file);
  t.throws(() => fromCanonical(namingSchemes.npz, tensors, depth), { message: /'npz' naming converts/ });
  const lacking = new Map(tensors);
  lacking.delete('norm.bias');
  t.throws(() => fromCanonical(namingSchemes.timm, lacking, depth), { message: /needs 'norm.bias'/ });
  const extra = new Map(tensors).set('head.weight', tensors.get('norm.bias')!);
  t.throws(() => fromCanonical(namingSchemes.timm, extra, depth), { message: /no name for head.weight/ });
  t.notThrows(() => fromCanonical(namingSchemes.lpt, extra, depth), "lpt's table names CLIP's projection");
});

const vit: VitConfig = {
  imageSize: 8,
  patchSize: 4,
  channels: 3,
  dim: 8,
  depth: 2,
  heads: 2,
  mlpDim: 12,
  layerNormEps: 1e-6,
  activation: 'gelu',
  patchBias: true,
  preNorm: false,
  projectionDim: null,
};

const text: TextConfig = {
  vocabSize: 10,
  context: 5,
  width: 8,
  depth: 2,
  heads: 2,
  mlpDim: 16,
  embedDim: 6,
  activation: 'quick_gelu',
  layerNormEps: 1e-5,
  projectionBias: false,
};

/** Random values everywhere (biases and LayerNorm weights too), so a swapped tensor shows. */
function noisy(shapes: ReadonlyMap<string, readonly number[]>): FloatTensors {
  const weights = randomHostWeights(shapes, 7);
  let k = 0;
  for (const t of weights.values()) for (let i = 0; i < t.data.length; i++) t.data[i] = Math.sin(++k * 12.9898);
  return weights;
}

function roundTrip(
  t: import('ava').ExecutionContext,
  scheme: NamingScheme,
  canonical: FloatTensors,
  derived: string[] = [],
) {
  const file = fromCanonical(scheme, canonical, 2, { heads: 2 });
  const back = filterWeights(scheme, file, 'synthetic.safetensors');
  t.deepEqual(back.missing, [], `${scheme.name}: nothing missing`);
  t.deepEqual(back.unexpected, [], `${scheme.name}: nothing unexpected`);
  t.deepEqual([...back.tensors.keys()].sort(), [...canonical.keys()].sort());
  for (const [name, tensor] of canonical) {
    if (derived.includes(name)) continue;
    const got = back.tensors.get(name)!;
    t.deepEqual(got.shape, tensor.shape, `${scheme.name}: ${name}`);
    t.deepEqual(Array.from(got.data), Array.from(tensor.data), `${scheme.name}: ${name}`);
  }
  return file;
}

for (const naming of ['lpt', 'timm', 'torchvision', 'npz'] as const) {
  test(`${naming}: canonical -> file names -> canonical is the identity`, (t) => {
    roundTrip(t, namingSchemes[naming], noisy(vitWeightShapes(vit)));
  });
}

test('clip: the visual tower with ln_pre and the projection round-trips; conv1 has no bias (read back as zeros)', (t) => {
  const config = { ...vit, preNorm: true, projectionDim: 6 };
  const file = roundTrip(t, namingSchemes.clip, noisy(vitWeightShapes(config)), ['patch_embed.proj.bias']);
  t.deepEqual(file.get('visual.proj')!.shape, [8, 6], 'visual.proj is [width, embed] as in OpenAI files');
  t.deepEqual(file.get('visual.class_embedding')!.shape, [8]);
  t.false(file.has('visual.conv1.bias'));
});

test('npz: the q, k, v kernels are [dim, heads, head dim] as in Google files', (t) => {
  const file = fromCanonical(namingSchemes.npz, noisy(vitWeightShapes(vit)), 2, { heads: 2 });
  t.deepEqual(file.get('Transformer/encoderblock_0/MultiHeadDotProductAttention_1/query/kernel')!.shape, [8, 2, 4]);
  t.deepEqual(file.get('embedding/kernel')!.shape, [4, 4, 3, 8], 'HWIO');
});

for (const naming of ['clip', 'open_clip', 'hf'] as const) {
  test(`text ${naming}: canonical -> file names -> canonical is the identity`, (t) => {
    roundTrip(t, textNamingSchemes[naming], noisy(textWeightShapes(text)));
  });
}
