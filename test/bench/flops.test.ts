import test from 'ava';
import { BENCH_CONFIGS } from '../../bench/config.ts';
import { executedFlopsPerImage, nominalFlopsPerImage } from '../../bench/flops.ts';
import { DEFAULT_SPEED } from '../../runtime/model/speed.ts';
import { makeVitConfig } from '../../runtime/model/vit_config.ts';

test('bench FLOPs: phase 1 is one prompted forward plus its input-gradient backward', (t) => {
  // A one-block ViT, 4 patches + CLS + 10 prompt tokens = 15 tokens, dim 8, MLP 32, on 1x4x4 images.
  const c = makeVitConfig({ imageSize: 4, patchSize: 2, channels: 1, dim: 8, depth: 1, heads: 2 });
  const n = 15;
  const linear = n * (8 * 24 + 8 * 8 + 2 * 8 * 32); // qkv, proj, fc1, fc2 multiply-adds
  const attention = 2 * n * n * 8; // q k^T and p v
  const patches = 4 * 4 * 8;
  t.is(
    nominalFlopsPerImage('1', { ...BENCH_CONFIGS.small, vit: c, poolLayers: [0] }),
    2 * (patches + linear + attention + linear + 2 * attention),
  );
});

test("bench FLOPs: the ViT-B/16 configuration has the paper's shapes", (t) => {
  const b = BENCH_CONFIGS.vitb16;
  t.like(b.vit, { imageSize: 224, patchSize: 16, channels: 3, dim: 768, depth: 12, heads: 12, mlpDim: 3072 });
  t.deepEqual(b.poolLayers, [6, 7, 8, 9, 10, 11]);
  t.is(
    b.vit.depth * b.promptLength * b.vit.dim + b.poolSize * b.poolLayers.length * b.promptLength * b.vit.dim,
    92_160 + 921_600,
  );
  // A plain ViT-B/16 forward is about 17.6 G multiply-adds (197 tokens; the figure usually quoted
  // as "GFLOPs"); with 10 (or 20) prompt tokens a little more. Inference is two forward passes.
  const macsPerForward = nominalFlopsPerImage('infer', b) / 2 / 2;
  t.true(macsPerForward > 17.5e9 && macsPerForward < 20e9, `${macsPerForward}`);
});

test('bench FLOPs: phase 2 costs more than inference, which costs two forward passes', (t) => {
  t.true(nominalFlopsPerImage('2') > nominalFlopsPerImage('infer'));
  t.true(nominalFlopsPerImage('infer') > nominalFlopsPerImage('1') / 2);
});

test('bench FLOPs: executed counts what lpt skips (prompt outputs, all but CLS in the last block, the prefix once)', (t) => {
  // Two blocks, 4 patches + CLS = 5 image tokens, 10 prompt tokens, dim 8, MLP 32; the pool in block 1.
  const c = makeVitConfig({ imageSize: 4, patchSize: 2, channels: 1, dim: 8, depth: 2, heads: 2 });
  const b = { ...BENCH_CONFIGS.small, vit: c, poolLayers: [1] };
  const patches = 4 * 4 * 8;
  const block = (context: number, queries: number, attentionTimes: number) =>
    context * 8 * 24 + queries * (8 * 8 + 2 * 8 * 32) + attentionTimes * 2 * queries * context * 8;
  const both = (context: number, queries: number) => block(context, queries, 1) + block(context, queries, 2);
  // Phase 1: block 0 keeps the 5 image tokens' outputs, block 1 (the last) the CLS token's; block 0's
  // input is the embedding's (frozen), so its backward runs only the 10 prompt rows through qkv.
  const frozenQkvRows = (15 - 10) * 8 * 24;
  t.is(executedFlopsPerImage('1', b, DEFAULT_SPEED), 2 * (patches + both(15, 5) - frozenQkvRows + both(15, 1)));
  t.is(
    executedFlopsPerImage('1', b, { prompts: 'full', prefix: 'recompute', lastBlock: 'all' }),
    nominalFlopsPerImage('1', b) - 2 * frozenQkvRows,
  );
  // Inference: patches and block 0 once, block 1 in the query pass (10 prompts) and the prompted one (20).
  t.is(
    executedFlopsPerImage('infer', b, DEFAULT_SPEED),
    2 * (patches + block(15, 5, 1) + block(15, 1, 1) + block(25, 1, 1)),
  );
  t.is(nominalFlopsPerImage('infer', b), 2 * (2 * (patches + block(15, 15, 1)) + block(15, 15, 1) + block(25, 25, 1)));
  t.true(executedFlopsPerImage('2', b, DEFAULT_SPEED) < nominalFlopsPerImage('2', b));
});
