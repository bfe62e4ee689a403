import test from 'ava';
import { readNpz } from '../../../../runtime/weights/npz.ts';
import { readSafetensors } from '../../../../runtime/weights/safetensors.ts';
import { namingSchemes, toCanonical } from '../../../../runtime/weights/naming/index.ts';
import { canonicalBlockSuffixes } from '../../../../runtime/weights/naming/lpt.ts';
import type { NamedTensors } from '../../../../runtime/weights/tensor.ts';
import { fixturePath, fixtures, randomTensor } from '../fixtures.ts';

const read = (file: string) =>
  file.endsWith('.npz') ? readNpz(fixturePath(file)) : readSafetensors(fixturePath(file));

for (const fixture of fixtures.filter((f) => f.weights.length > 1)) {
  test(`every naming of ${fixture.name} yields the same canonical tensors, bit for bit`, (t) => {
    const [first, ...rest] = fixture.weights.map((w) => toCanonical(read(w.file), w.naming, w.file));
    for (const [k, other] of rest.entries()) {
      const file = fixture.weights[k + 1]!.file;
      t.deepEqual([...other.tensors.keys()].sort(), [...first!.tensors.keys()].sort(), file);
      for (const [name, tensor] of first!.tensors) t.deepEqual(other.tensors.get(name), tensor, `${file}: ${name}`);
    }
  });
}

test('the canonical table: lpt naming is the identity on every canonical name', (t) => {
  const tensors: NamedTensors = new Map();
  const names = [
    'patch_embed.proj.weight',
    'patch_embed.proj.bias',
    'cls_token',
    'pos_embed',
    'norm_pre.weight',
    'norm_pre.bias',
    'norm.weight',
    'norm.bias',
    'head.weight',
  ];
  for (const i of [0, 1]) for (const s of canonicalBlockSuffixes) names.push(`blocks.${i}.${s}`);
  names.forEach((n, k) => tensors.set(n, randomTensor([2], k + 1)));
  const result = toCanonical(tensors, 'lpt', 'w');
  t.deepEqual([...result.tensors.keys()].sort(), [...names].sort());
  t.deepEqual([result.missing, result.unexpected, result.ignored], [[], [], []]);
  t.is(result.depth, 2);
  for (const n of names) t.is(result.tensors.get(n) as unknown, tensors.get(n));
});

test('timm: module./model. prefixes are stripped and the classifier is ignored', (t) => {
  const raw = read('p4_d32_l2_h4_c3.timm.safetensors');
  t.true([...raw.keys()].every((k) => k.startsWith('module.')));
  const result = toCanonical(raw, 'timm', 'w');
  t.deepEqual(result.ignored, ['head.weight', 'head.bias']);
  t.deepEqual([result.missing, result.unexpected], [[], []]);
  const nested: NamedTensors = new Map(
    [...read('p2_d16_l2_h1_c1.timm.safetensors')].map(([k, v]) => [`model.${k}`, v]),
  );
  nested.set('model.fc_norm.weight', randomTensor([16]));
  const again = toCanonical(nested, 'timm', 'w');
  t.deepEqual([again.missing, again.unexpected, again.ignored], [[], [], ['fc_norm.weight']]);
});

test('torchvision: older mlp.linear_1/linear_2 names are accepted', (t) => {
  const modern = read('p2_d16_l2_h1_c1.torchvision.safetensors');
  const old: NamedTensors = new Map(
    [...modern].map(([k, v]) => [k.replace('.mlp.0.', '.mlp.linear_1.').replace('.mlp.3.', '.mlp.linear_2.'), v]),
  );
  t.true([...old.keys()].some((k) => k.includes('mlp.linear_1')));
  const a = toCanonical(modern, 'torchvision', 'w');
  const b = toCanonical(old, 'torchvision', 'w');
  t.deepEqual([b.missing, b.unexpected], [[], []]);
  t.deepEqual(b.tensors, a.tensors);
  t.deepEqual(a.ignored, ['heads.head.weight', 'heads.head.bias']);
});

test("npz: big_vision's scanned layout and per-type numbering map like vit_jax's", (t) => {
  const raw = read('p8_d48_l3_h3_c3.npz');
  t.true(raw.has('params/Transformer/encoderblock/MultiHeadDotProductAttention_0/query/kernel'));
  const result = toCanonical(raw, 'npz', 'w');
  t.deepEqual([result.missing, result.unexpected], [[], []]);
  t.is(result.depth, 3);
  t.deepEqual(result.hints, { heads: 3 });
  t.deepEqual(result.tensors.get('blocks.2.attn.qkv.weight')!.shape, [144, 48]);
  t.deepEqual(result.tensors.get('patch_embed.proj.weight')!.shape, [48, 3, 8, 8]);
});

test('npz: a kernel of the wrong rank is named', (t) => {
  const raw = read('p4_d32_l2_h4_c3.npz');
  raw.set('Transformer/encoderblock_1/MultiHeadDotProductAttention_1/key/kernel', randomTensor([32, 32]));
  t.throws(() => toCanonical(raw, 'npz', 'g.npz'), {
    message:
      "g.npz: tensor 'Transformer/encoderblock_1/MultiHeadDotProductAttention_1/key/kernel': has shape [32, 32], expected [?, ?, ?]",
  });
});

test('clip: the text tower is ignored, conv bias is zero, proj becomes head.weight [E, D]', (t) => {
  const raw = read('clip_p4_d32_l2_h2_c3.clip.safetensors');
  const result = toCanonical(raw, 'clip', 'w');
  t.deepEqual(result.ignored, [
    'positional_embedding',
    'transformer.resblocks.0.ln_1.weight',
    'token_embedding.weight',
    'text_projection',
    'logit_scale',
  ]);
  t.deepEqual([result.missing, result.unexpected], [[], []]);
  t.deepEqual([...result.tensors.get('patch_embed.proj.bias')!.data], new Array(32).fill(0));
  const proj = raw.get('visual.proj')!;
  const head = result.tensors.get('head.weight')!;
  t.deepEqual(head.shape, [12, 32]);
  t.is(head.data[3 * 32 + 5], proj.data[5 * 12 + 3] as number);
  t.deepEqual(result.hints, { activation: 'quick_gelu', layerNormEps: 1e-5 });
});

test('clip: a visual-only state dict (no visual. prefix) works, and a ResNet tower is unexpected', (t) => {
  const visualOnly = toCanonical(read('clip_p4_d16_l1_h1_c1.clip.safetensors'), 'clip', 'w');
  t.deepEqual([visualOnly.missing, visualOnly.unexpected, visualOnly.ignored], [[], [], []]);
  const resnet: NamedTensors = new Map([['visual.layer1.0.conv1.weight', randomTensor([4, 4, 1, 1])]]);
  const result = toCanonical(resnet, 'clip', 'w');
  t.deepEqual(result.unexpected, ['visual.layer1.0.conv1.weight']);
  t.true(result.missing.includes('visual.conv1.weight'));
});

test('a gap in the block numbering is reported as missing tensors of that block', (t) => {
  const raw = read('p8_d48_l3_h3_c3.torchvision.safetensors');
  for (const k of [...raw.keys()]) if (k.includes('encoder_layer_1.')) raw.delete(k);
  const result = toCanonical(raw, 'torchvision', 'w');
  t.is(result.depth, 3);
  t.is(result.missing.length, 12);
  t.true(result.missing.every((m) => m.startsWith('encoder.layers.encoder_layer_1.')));
});

test('every scheme is registered under its own name', (t) => {
  for (const [name, scheme] of Object.entries(namingSchemes)) t.is(scheme.name as string, name);
});
