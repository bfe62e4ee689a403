import test from 'ava';
import { join } from 'node:path';
import { WeightsError } from '../../../runtime/weights/errors.ts';
import { loadBackboneWeights, saveBackboneWeights } from '../../../runtime/weights/load.ts';
import { readNpy } from '../../../runtime/weights/npy.ts';
import { readSafetensors, writeSafetensors } from '../../../runtime/weights/safetensors.ts';
import type { Float32Tensor } from '../../../runtime/weights/tensor.ts';
import { fixturePath, fixtures, maxAbsDiff, weightCases, withTempDir } from './fixtures.ts';
import { linear, referenceFeatures } from './reference_vit.ts';

for (const { fixture, weights } of weightCases) {
  test(`${weights.file} (${weights.naming}) reproduces the PyTorch features within 1e-4`, (t) => {
    const loaded = loadBackboneWeights(fixturePath(weights.file), {
      naming: weights.naming,
      heads: fixture.architecture.heads,
    });
    t.deepEqual(loaded.config, fixture.architecture);
    const input = readNpy(fixturePath(fixture.input)) as Float32Tensor;
    const expected = readNpy(fixturePath(fixture.expected));
    const features = referenceFeatures(input, loaded.tensors, loaded.config);
    t.is(features.length, expected.shape[0]!);
    const flat = Float64Array.from(features.flatMap((f) => [...f]));
    t.true(
      maxAbsDiff(flat, expected.data as Float32Array) < 1e-4,
      `max abs diff ${maxAbsDiff(flat, expected.data as Float32Array)}`,
    );
    if (fixture.expectedProjection) {
      const projection = readNpy(fixturePath(fixture.expectedProjection));
      const projected = Float64Array.from(
        features.flatMap((f) => [...linear(f, loaded.tensors.get('head.weight')!.data, null)]),
      );
      t.true(maxAbsDiff(projected, projection.data as Float32Array) < 1e-4);
    }
  });
}

test('a wrong head count changes the features (the parity check can see heads)', (t) => {
  const fixture = fixtures.find((f) => f.architecture.heads === 4)!;
  const loaded = loadBackboneWeights(fixturePath(fixture.weights[0]!.file), { naming: 'torchvision', heads: 2 });
  const features = referenceFeatures(
    readNpy(fixturePath(fixture.input)) as Float32Tensor,
    loaded.tensors,
    loaded.config,
  );
  const expected = readNpy(fixturePath(fixture.expected)).data as Float32Array;
  t.true(maxAbsDiff(Float64Array.from(features.flatMap((f) => [...f])), expected) > 1e-3);
});

test('heads default to dim/64, at least 1', (t) => {
  const loaded = loadBackboneWeights(fixturePath('p8_d48_l3_h3_c3.torchvision.safetensors'), { naming: 'torchvision' });
  t.is(loaded.config.heads, 1);
});

test('Google kernels tell the head count, and a contradicting --heads is refused', (t) => {
  const loaded = loadBackboneWeights(fixturePath('p8_d48_l3_h3_c3.npz'), { naming: 'npz' });
  t.is(loaded.config.heads, 3);
  t.throws(() => loadBackboneWeights(fixturePath('p8_d48_l3_h3_c3.npz'), { naming: 'npz', heads: 4 }), {
    message: /heads 4 disagrees with the checkpoint's attention kernels, which have 3 heads/,
  });
});

test('a missing tensor is named as the file would name it', (t) => {
  withTempDir((dir) => {
    const raw = readSafetensors(fixturePath('p4_d32_l2_h4_c3.torchvision.safetensors'));
    raw.delete('encoder.layers.encoder_layer_1.ln_2.bias');
    const path = join(dir, 'w.safetensors');
    writeSafetensors(path, raw);
    const error = t.throws(() => loadBackboneWeights(path, { naming: 'torchvision' }), { instanceOf: WeightsError });
    t.is(error?.kind, 'missing');
    t.regex(
      error!.message,
      /w\.safetensors: lacks 1 tensor that 'torchvision' naming needs: 'encoder\.layers\.encoder_layer_1\.ln_2\.bias'/,
    );
  });
});

test('the wrong naming scheme reports what is missing', (t) => {
  const error = t.throws(
    () => loadBackboneWeights(fixturePath('p4_d32_l2_h4_c3.timm.safetensors'), { naming: 'torchvision' }),
    { instanceOf: WeightsError },
  );
  t.is(error?.kind, 'missing');
  t.regex(
    error!.message,
    /lacks 6 tensors that 'torchvision' naming needs: 'conv_proj\.weight'.* \(the names look like --naming timm\)$/,
  );
});

test('unexpected tensors are an error unless allowed', (t) => {
  withTempDir((dir) => {
    const raw = readSafetensors(fixturePath('p2_d16_l2_h1_c1.timm.safetensors'));
    raw.set('blocks.0.ls1.gamma', raw.get('norm.weight')!);
    const path = join(dir, 'w.safetensors');
    writeSafetensors(path, raw);
    const error = t.throws(() => loadBackboneWeights(path, { naming: 'timm' }), { instanceOf: WeightsError });
    t.is(error?.kind, 'unexpected');
    t.regex(error!.message, /holds 1 tensor that 'timm' naming does not use: 'blocks\.0\.ls1\.gamma'/);
    const loaded = loadBackboneWeights(path, { naming: 'timm', allowUnexpected: true });
    t.deepEqual(loaded.unexpected, ['blocks.0.ls1.gamma']);
  });
});

test('a mis-shaped tensor names the tensor, as the file names it', (t) => {
  withTempDir((dir) => {
    const raw = readSafetensors(fixturePath('p4_d32_l2_h4_c3.torchvision.safetensors'));
    const fc = raw.get('encoder.layers.encoder_layer_1.mlp.3.weight') as Float32Tensor;
    raw.set('encoder.layers.encoder_layer_1.mlp.3.weight', { ...fc, shape: [fc.shape[1]!, fc.shape[0]!] });
    const path = join(dir, 'w.safetensors');
    writeSafetensors(path, raw);
    const error = t.throws(() => loadBackboneWeights(path, { naming: 'torchvision' }), { instanceOf: WeightsError });
    t.is(error?.kind, 'shape');
    t.is(error?.tensor, 'encoder.layers.encoder_layer_1.mlp.3.weight');
    t.regex(error!.message, /has shape \[64, 32\], expected \[32, 64\] for blocks\.1\.mlp\.fc2\.weight/);
  });
});

test('a wrong dtype for a weight is named', (t) => {
  withTempDir((dir) => {
    const raw = readSafetensors(fixturePath('p2_d16_l2_h1_c1.timm.safetensors'));
    raw.set('cls_token', { dtype: 'int32', shape: [1, 1, 16], data: new Int32Array(16) });
    const path = join(dir, 'w.safetensors');
    writeSafetensors(path, raw);
    const error = t.throws(() => loadBackboneWeights(path, { naming: 'timm' }), { instanceOf: WeightsError });
    t.is(error?.kind, 'dtype');
    t.regex(error!.message, /tensor 'cls_token': is int32, but a float tensor is needed/);
  });
});

for (const format of ['safetensors', 'tfjs', 'npz'] as const) {
  test(`saveBackboneWeights then loading with lpt naming is exact (${format})`, (t) => {
    withTempDir((dir) => {
      const original = loadBackboneWeights(fixturePath('clip_p4_d32_l2_h2_c3.clip.safetensors'), {
        naming: 'clip',
        heads: 2,
      });
      const path = join(dir, format === 'tfjs' ? 'model.json' : `w.${format}`);
      saveBackboneWeights(path, original);
      // npz has no metadata: what shapes cannot show is passed again.
      const extra = format === 'npz' ? ({ heads: 2, activation: 'quick_gelu', layerNormEps: 1e-5 } as const) : {};
      const back = loadBackboneWeights(path, { naming: 'lpt', ...extra });
      t.deepEqual(back.config, original.config);
      t.deepEqual([...back.tensors.keys()].sort(), [...original.tensors.keys()].sort());
      for (const [name, tensor] of original.tensors) t.deepEqual(back.tensors.get(name), tensor, name);
    });
  });
}
