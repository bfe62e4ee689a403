/**
 * The webgpu backend against wasm (and PyTorch's fixtures) within 1e-4: backbone features, every
 * loss (value and gradient), both optimisers, and a short two-phase LPT training run with the
 * query cache. Each comparison computes on wasm first, then on webgpu (tensors move from wasm to
 * webgpu, never back: webgpu has no synchronous read in Node). On lavapipe (Mesa's CPU Vulkan)
 * this proves correctness only, so the shapes are tiny. Skips, with one line, without an adapter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../runtime/backend/init.ts';
import { extractFeatures } from '../../runtime/features.ts';
import { asymmetricLoss, classificationLoss, type LossSpec, matchingTerm } from '../../runtime/train/loss.ts';
import { createAdamW, createSgd } from '../../runtime/train/optim.ts';
import { readNpy } from '../../runtime/weights/npy.ts';
import { fixturePath, fixtures, maxAbsDiff, withTempDirAsync } from '../runtime/weights/fixtures.ts';
import { trainTinyLpt } from './tiny_training.ts';
import { webgpuSkipReason } from '../helpers/webgpu.ts';

const TOLERANCE = 1e-4;
const skipped = await webgpuSkipReason('test/gpu/webgpu_parity.test.ts');
const gpuTest = skipped === null ? test.serial : test.serial.skip;

type Backend = 'wasm' | 'webgpu';
const BACKENDS: readonly Backend[] = ['wasm', 'webgpu'];

async function use(backend: Backend): Promise<void> {
  await initBackend({ preference: backend, source: 'the test' });
}

function largest(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return maxAbsDiff(Float32Array.from(a), Float32Array.from(b));
}

gpuTest('lpt features on webgpu match wasm and PyTorch within 1e-4', async (t) => {
  const cases = [
    { name: 'p4_d32_l2_h4_c3', file: 'p4_d32_l2_h4_c3.timm.safetensors', naming: 'timm' as const },
    { name: 'clip_p4_d32_l2_h2_c3', file: 'clip_p4_d32_l2_h2_c3.clip.safetensors', naming: 'clip' as const },
  ];
  await withTempDirAsync(async (dir) => {
    for (const c of cases) {
      const fixture = fixtures.find((f) => f.name === c.name)!;
      const out: Partial<Record<Backend, Float32Array>> = {};
      for (const backend of BACKENDS) {
        await use(backend);
        const before = tf.memory().numTensors;
        const output = join(dir, `${c.name}.${backend}.npy`);
        const options = {
          weights: fixturePath(c.file),
          naming: c.naming,
          heads: fixture.architecture.heads,
          input: fixturePath(fixture.input),
          output,
          batchSize: 3,
        };
        const result = await extractFeatures({ ...options, backend });
        t.is(result.backend, backend);
        t.is(tf.memory().numTensors, before, `${c.name} on ${backend}: no tensor leaks`);
        out[backend] = readNpy(output).data as Float32Array;
      }
      const expected = readNpy(fixturePath(fixture.expected)).data as Float32Array;
      t.true(
        maxAbsDiff(out.webgpu!, out.wasm!) < TOLERANCE,
        `${c.name}: webgpu vs wasm ${maxAbsDiff(out.webgpu!, out.wasm!)}`,
      );
      t.true(
        maxAbsDiff(out.webgpu!, expected) < TOLERANCE,
        `${c.name}: webgpu vs PyTorch ${maxAbsDiff(out.webgpu!, expected)}`,
      );
    }
  });
});

interface LossCase {
  readonly name: string;
  readonly kind: string;
  readonly options: Record<string, number>;
  readonly value: number;
  readonly grad: number[];
}
const losses = JSON.parse(readFileSync(new URL('../fixtures/losses/losses.json', import.meta.url), 'utf8')) as {
  batch: number;
  classes: number;
  keys: number;
  cosine: number[];
  labels: number[];
  counts: number[];
  noise: number[];
  similarities: number[];
  cases: LossCase[];
};

/** Value and gradient w.r.t. the logits (or similarities) of one fixture case, on the active backend. */
async function lossAndGradient(c: LossCase): Promise<{ value: number; grad: Float32Array }> {
  const matching = c.kind === 'matching';
  const input = tf.tensor2d(matching ? losses.similarities : losses.cosine, [
    losses.batch,
    matching ? losses.keys : losses.classes,
  ]);
  const noise = tf.tensor2d(losses.noise, [losses.batch, losses.classes]);
  const labels = Int32Array.from(losses.labels);
  const f = (x: tf.Tensor2D): tf.Scalar => {
    if (matching) return matchingTerm(x, c.options);
    if (c.kind === 'asl') return asymmetricLoss(tf.mul(x, 10) as tf.Tensor2D, labels, c.options);
    return classificationLoss({ kind: c.kind, ...c.options } as LossSpec, {
      logits: x,
      labels,
      counts: losses.counts,
      noise: { noise },
    });
  };
  const { value, grad } = tf.valueAndGrad(f)(input);
  try {
    return { value: (await value.data())[0]!, grad: (await grad.data()) as Float32Array };
  } finally {
    tf.dispose([value, grad, input, noise]);
  }
}

gpuTest('every loss on webgpu matches wasm and PyTorch within 1e-4 (value and gradient)', async (t) => {
  const results: Partial<Record<Backend, { value: number; grad: Float32Array }[]>> = {};
  for (const backend of BACKENDS) {
    await use(backend);
    const before = tf.memory().numTensors;
    const list = [];
    for (const c of losses.cases) list.push(await lossAndGradient(c));
    results[backend] = list;
    t.is(tf.memory().numTensors, before, `losses on ${backend}: no tensor leaks`);
  }
  losses.cases.forEach((c, i) => {
    const gpu = results.webgpu![i]!;
    const wasm = results.wasm![i]!;
    t.true(
      Math.abs(gpu.value - wasm.value) < TOLERANCE && Math.abs(gpu.value - c.value) < TOLERANCE,
      `${c.name}: value ${gpu.value} (wasm ${wasm.value}, torch ${c.value})`,
    );
    t.true(
      largest(gpu.grad, wasm.grad) < TOLERANCE && largest(gpu.grad, c.grad) < TOLERANCE,
      `${c.name}: gradient differs by ${largest(gpu.grad, c.grad)} from torch`,
    );
  });
});

const optim = JSON.parse(readFileSync(new URL('../fixtures/losses/optim.json', import.meta.url), 'utf8')) as {
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
  curvature: Record<string, number[]>;
  linear: Record<string, number[]>;
  lrs: number[];
  runs: { kind: 'sgd' | 'adamw'; options: Record<string, number | boolean>; params: Record<string, number[]>[] }[];
};

gpuTest('SGD and AdamW on webgpu follow torch.optim within 1e-4', async (t) => {
  await use('webgpu');
  const names = Object.keys(optim.shapes);
  for (const [r, run] of optim.runs.entries()) {
    const before = tf.memory().numTensors;
    const vars = names.map((n) =>
      tf.tidy(() => tf.variable(tf.tensor(optim.init[n]!, optim.shapes[n]!), true, `webgpu_${r}_${n}`)),
    );
    const consts = names.map(
      (n) => [tf.tensor(optim.curvature[n]!, optim.shapes[n]!), tf.tensor(optim.linear[n]!, optim.shapes[n]!)] as const,
    );
    const optimizer = run.kind === 'sgd' ? createSgd(vars, run.options) : createAdamW(vars, run.options);
    for (const [s, lr] of optim.lrs.entries()) {
      const { value, grads } = tf.variableGrads(
        () =>
          tf.addN(
            vars.map((v, i) =>
              tf.sum(tf.add(tf.mul(tf.mul(consts[i]![0], tf.square(v)), 0.5), tf.mul(consts[i]![1], v))),
            ),
          ) as tf.Scalar,
      );
      optimizer.apply(grads, lr);
      tf.dispose([value, ...Object.values(grads)]);
      let worst = 0;
      for (const [i, v] of vars.entries()) worst = Math.max(worst, largest(await v.data(), run.params[s]![names[i]!]!));
      t.true(worst < TOLERANCE, `${run.kind} ${JSON.stringify(run.options)} step ${s}: largest difference ${worst}`);
    }
    optimizer.dispose();
    tf.dispose([...vars, ...consts.flat()]);
    t.is(tf.memory().numTensors, before, `${run.kind} ${JSON.stringify(run.options)}: no tensor leaks`);
  }
});

gpuTest('a short two-phase LPT training run on webgpu matches wasm within 1e-4', async (t) => {
  const wasm = await trainTinyLpt('wasm', 3);
  const gpu = await trainTinyLpt('webgpu', 3);
  t.is(gpu.losses.length, wasm.losses.length);
  gpu.losses.forEach((step, s) => {
    for (const [term, value] of Object.entries(step)) {
      t.true(
        Math.abs(value - wasm.losses[s]![term]!) < TOLERANCE,
        `step ${s + 1} ${term}: webgpu ${value}, wasm ${wasm.losses[s]![term]}`,
      );
    }
  });
  t.true(
    gpu.losses.some((step) => (step['matching:ib'] ?? 0) > 0),
    'phase two computed its matching term',
  );
  gpu.trained.forEach((values, i) =>
    t.true(
      largest(values, wasm.trained[i]!) < TOLERANCE,
      `trained variable ${i} differs by ${largest(values, wasm.trained[i]!)}`,
    ),
  );
  t.true(gpu.tensorCountFlat, 'no tensor leaks across webgpu steps');
  t.true(gpu.queryCacheHits > 0, 'phase two served queries from the cache');
});
