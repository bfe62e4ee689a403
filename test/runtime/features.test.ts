import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { initBackend } from '../../runtime/backend/init.ts';
import { computeFeatures, extractFeatures } from '../../runtime/features.ts';
import { createVit } from '../../runtime/model/create_vit.ts';
import { disposeVit, projectFeatures } from '../../runtime/model/vit.ts';
import { WeightsError } from '../../runtime/weights/errors.ts';
import { loadBackboneWeights } from '../../runtime/weights/load.ts';
import { readNpy, writeNpy } from '../../runtime/weights/npy.ts';
import type { Float32Tensor } from '../../runtime/weights/tensor.ts';
import { command } from '../../cli/commands/features.ts';
import { fixturePath, fixtures, maxAbsDiff, weightCases, withTempDirAsync } from './weights/fixtures.ts';

const root = join(import.meta.dirname, '../..');

test.before(async () => {
  await initBackend({ preference: 'wasm' });
});

for (const { fixture, weights } of weightCases) {
  test.serial(`lpt features reproduces PyTorch on ${weights.file} (${weights.naming}) within 1e-4`, async (t) => {
    await withTempDirAsync(async (dir) => {
      const output = join(dir, 'features.npy');
      const before = tf.memory().numTensors;
      const result = await extractFeatures({
        weights: fixturePath(weights.file),
        naming: weights.naming,
        heads: fixture.architecture.heads,
        input: fixturePath(fixture.input),
        output,
        batchSize: 2, // smaller than every fixture batch: exercises batching and a remainder
        backend: 'wasm',
      });
      const features = readNpy(output);
      const expected = readNpy(fixturePath(fixture.expected));
      t.is(features.dtype, 'float32');
      t.deepEqual(features.shape, expected.shape);
      const diff = maxAbsDiff(features.data as Float32Array, expected.data as Float32Array);
      t.true(diff < 1e-4, `max abs diff ${diff}`);
      t.deepEqual(result.config, fixture.architecture);
      t.is(tf.memory().numTensors, before);
    });
  });
}

test.serial("CLIP's projection (head.weight from visual.proj) matches PyTorch", async (t) => {
  await initBackend({ preference: 'cpu' });
  for (const fixture of fixtures.filter((f) => f.expectedProjection)) {
    const loaded = loadBackboneWeights(fixturePath(fixture.weights[0]!.file), {
      naming: 'clip',
      heads: fixture.architecture.heads,
    });
    const vit = createVit(loaded.config, loaded.tensors);
    const images = readNpy(fixturePath(fixture.input)) as Float32Tensor;
    const features = await computeFeatures(vit, images, 8);
    const projected = tf.tidy(() =>
      projectFeatures(vit, tf.tensor2d(features.data, [images.shape[0]!, loaded.config.dim])),
    );
    const expected = readNpy(fixturePath(fixture.expectedProjection!));
    t.deepEqual(projected.shape, expected.shape);
    t.true(maxAbsDiff(projected.dataSync(), expected.data as Float32Array) < 1e-4, fixture.name);
    projected.dispose();
    disposeVit(vit);
  }
});

test.serial('batch size does not change the features, and no tensor leaks', async (t) => {
  await initBackend({ preference: 'cpu' });
  const fixture = fixtures.find((f) => f.name.startsWith('p7'))!;
  const loaded = loadBackboneWeights(fixturePath(fixture.weights[0]!.file), {
    naming: 'torchvision',
    heads: fixture.architecture.heads,
  });
  const vit = createVit(loaded.config, loaded.tensors);
  const images = readNpy(fixturePath(fixture.input)) as Float32Tensor;
  const before = tf.memory().numTensors;
  const one = await computeFeatures(vit, images, 1);
  const all = await computeFeatures(vit, images, 64);
  t.is(tf.memory().numTensors, before);
  t.deepEqual(one.shape, [5, 24]);
  t.true(maxAbsDiff(one.data, all.data) < 1e-6);
  disposeVit(vit);
});

test.serial('an input of the wrong shape or dtype names the input file', async (t) => {
  await withTempDirAsync(async (dir) => {
    const fixture = fixtures.find((f) => f.name.startsWith('p7'))!;
    const input = join(dir, 'bad.npy');
    writeNpy(input, { dtype: 'float32', shape: [2, 3, 28, 28], data: new Float32Array(2 * 3 * 28 * 28) });
    const options = {
      weights: fixturePath(fixture.weights[0]!.file),
      naming: 'torchvision',
      heads: 2,
      input,
      output: join(dir, 'o.npy'),
      backend: 'cpu',
    } as const;
    const error = await t.throwsAsync(extractFeatures(options), { instanceOf: WeightsError });
    t.is(error?.file, input);
    t.regex(error!.message, /bad\.npy: has shape \[2, 3, 28, 28\]; the backbone needs \[B, 1, 28, 28\] \(NCHW\)/);
    writeNpy(input, { dtype: 'int32', shape: [1, 1, 28, 28], data: new Int32Array(28 * 28) });
    await t.throwsAsync(extractFeatures(options), { message: /bad\.npy: holds int32 values/ });
  });
});

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { cwd: root, stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), isTTY: false },
    out,
    err,
  };
};

test.serial('the features command: bad usage exits 2, a bad file exits 1 with the message', async (t) => {
  const a = io();
  await t.throwsAsync(command.run(['w.safetensors', '--input', 'x.npy', '--output', 'y.npy'], a.io), {
    message: '--naming is required.',
  });
  await t.throwsAsync(command.run(['w.safetensors', '--naming', 'keras', '--input', 'x', '--output', 'y'], a.io), {
    message: /unknown naming 'keras'/,
  });
  await t.throwsAsync(
    command.run(['w.safetensors', '--naming', 'timm', '--heads', '0', '--input', 'x', '--output', 'y'], a.io),
    { message: /--heads must be a positive integer/ },
  );
  const b = io();
  const code = await command.run(
    ['/nonexistent/w.safetensors', '--naming', 'timm', '--input', 'x.npy', '--output', 'y.npy', '--backend', 'cpu'],
    b.io,
  );
  t.is(code, 1);
  t.regex(b.err.join('\n'), /lpt features: \/nonexistent\/w\.safetensors: cannot read the file \(ENOENT\)/);
  await withTempDirAsync(async (dir) => {
    const fixture = fixtures.find((f) => f.name.startsWith('p2'))!;
    const c = io();
    const output = join(dir, 'out.npy');
    const ok = await command.run(
      [
        fixturePath(fixture.weights[1]!.file),
        '--naming',
        'timm',
        '--input',
        fixturePath(fixture.input),
        '--output',
        output,
        '--backend',
        'cpu',
        '--batch-size',
        '3',
      ],
      c.io,
    );
    t.is(ok, 0);
    t.regex(
      c.out.join(''),
      /: 4 x 16 features \(ViT image 8, patch 2, 1 channels, dim 16, depth 2, heads 1, mlp 64\) in [\d.]+ s on cpu/,
    );
    t.deepEqual(readNpy(output).shape, [4, 16]);
  });
});

test.serial('`node bin/lpt.js features` works end to end', async (t) => {
  const { commands } = await import('../../cli/main.ts');
  t.true(
    commands.some((c) => c.name === 'features'),
    "cli/main.ts's command table has no 'features' entry",
  );
  await withTempDirAsync(async (dir) => {
    const fixture = fixtures.find((f) => f.name.startsWith('clip_p4_d16'))!;
    const output = join(dir, 'f.npy');
    const args = [
      'bin/lpt.js',
      'features',
      fixturePath(fixture.weights[0]!.file),
      '--naming',
      'clip',
      '--input',
      fixturePath(fixture.input),
      '--output',
      output,
      '--backend',
      'cpu',
    ];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root });
    t.regex(
      stdout,
      /wrote .*f\.npy: 2 x 16 features \(ViT image 12, patch 4, 1 channels, dim 16, depth 1, heads 1, mlp 64, QuickGELU\)/,
    );
    const diff = maxAbsDiff(
      readNpy(output).data as Float32Array,
      readNpy(fixturePath(fixture.expected)).data as Float32Array,
    );
    t.true(diff < 1e-4, `max abs diff ${diff}`);
  });
});
