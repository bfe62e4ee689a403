import test from 'ava';
import { WeightsError } from '../../../runtime/weights/errors.ts';
import { inferArchitecture, type InferInput } from '../../../runtime/weights/infer.ts';
import type { Float32Tensor } from '../../../runtime/weights/tensor.ts';
import { canonicalTensors, fixtures } from './fixtures.ts';
import { loadBackboneWeights } from '../../../runtime/weights/load.ts';
import { fixturePath } from './fixtures.ts';

const small = { dim: 32, depth: 2, channels: 3, patch: 4, grid: 3, mlp: 80 };

function input(tensors: Map<string, Float32Tensor>, depth = small.depth): InferInput {
  return { tensors, depth, sources: new Map(), hints: {}, file: 'w.safetensors' };
}

for (const fixture of fixtures) {
  test(`infers the architecture of ${fixture.name} from every naming`, (t) => {
    for (const weights of fixture.weights) {
      const { config } = loadBackboneWeights(fixturePath(weights.file), {
        naming: weights.naming,
        heads: fixture.architecture.heads,
      });
      t.deepEqual(config, fixture.architecture, weights.file);
    }
  });
}

test('infers patch, dim, channels, image size, depth and MLP width from shapes', (t) => {
  t.like(inferArchitecture(input(canonicalTensors(small))), {
    patchSize: 4,
    dim: 32,
    channels: 3,
    imageSize: 12,
    depth: 2,
    mlpDim: 80,
    heads: 1,
    activation: 'gelu',
    layerNormEps: 1e-6,
    preNorm: false,
  });
  const wide = inferArchitecture(input(canonicalTensors({ ...small, dim: 192, mlp: 768 })));
  t.is(wide.heads, 3);
});

test('a default head count that does not divide dim asks for --heads', (t) => {
  const error = t.throws(() => inferArchitecture(input(canonicalTensors({ ...small, dim: 200 }))), {
    instanceOf: WeightsError,
  });
  t.regex(error!.message, /the default dim\/64 = 3 does not divide dim 200; pass heads explicitly/);
  t.throws(() => inferArchitecture(input(canonicalTensors(small)), { heads: 5 }), {
    message: /heads 5 must be a positive divisor of dim 32/,
  });
  t.is(inferArchitecture(input(canonicalTensors({ ...small, dim: 200 })), { heads: 8 }).heads, 8);
});

test('a position embedding that is not 1 + a square grid is named', (t) => {
  const tensors = canonicalTensors(small);
  tensors.set('pos_embed', { dtype: 'float32', shape: [1, 9, 32], data: new Float32Array(9 * 32) });
  const error = t.throws(() => inferArchitecture(input(tensors)), { instanceOf: WeightsError });
  t.is(error?.tensor, 'pos_embed');
  t.regex(error!.message, /has shape \[1, 9, 32\]; expected \[1, 1 \+ grid\*grid, 32\]/);
});

test('a non-square patch kernel is named', (t) => {
  const tensors = canonicalTensors(small);
  tensors.set('patch_embed.proj.weight', {
    dtype: 'float32',
    shape: [32, 3, 4, 2],
    data: new Float32Array(32 * 3 * 8),
  });
  t.throws(() => inferArchitecture(input(tensors)), {
    message: /tensor 'patch_embed\.proj\.weight': has shape \[32, 3, 4, 2\]; expected a square patch kernel/,
  });
});

test('every block tensor is checked, and the message uses the name from the file', (t) => {
  const tensors = canonicalTensors(small);
  tensors.set('blocks.1.attn.qkv.bias', { dtype: 'float32', shape: [64], data: new Float32Array(64) });
  const sources = new Map([['blocks.1.attn.qkv.bias', ['encoder.layers.encoder_layer_1.self_attention.in_proj_bias']]]);
  const error = t.throws(() => inferArchitecture({ ...input(tensors), sources }), { instanceOf: WeightsError });
  t.is(error?.tensor, 'encoder.layers.encoder_layer_1.self_attention.in_proj_bias');
  t.regex(error!.message, /has shape \[64\], expected \[96\] for blocks\.1\.attn\.qkv\.bias/);
});

test('half a norm_pre pair is reported missing', (t) => {
  const tensors = canonicalTensors(small);
  tensors.set('norm_pre.weight', { dtype: 'float32', shape: [32], data: new Float32Array(32) });
  const error = t.throws(() => inferArchitecture(input(tensors)), { instanceOf: WeightsError });
  t.is(error?.kind, 'missing');
  t.is(error?.tensor, 'norm_pre.bias');
});

test('no blocks at all is reported', (t) => {
  t.throws(() => inferArchitecture(input(canonicalTensors({ ...small, depth: 0 }), 0)), {
    message: /holds no transformer blocks under this naming scheme/,
  });
});

test('hints (CLIP) set activation and eps; explicit options win', (t) => {
  const hinted = {
    ...input(canonicalTensors(small)),
    hints: { activation: 'quick_gelu', layerNormEps: 1e-5 } as const,
  };
  t.like(inferArchitecture(hinted), { activation: 'quick_gelu', layerNormEps: 1e-5 });
  t.like(inferArchitecture(hinted, { activation: 'gelu', layerNormEps: 1e-6 }), {
    activation: 'gelu',
    layerNormEps: 1e-6,
  });
});
