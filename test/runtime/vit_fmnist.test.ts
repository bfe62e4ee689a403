/**
 * The shipped backbone (weights/vit-fmnist.safetensors, trained with torchvision) loads through
 * the torchvision importer and reproduces the features torchvision computed after training:
 * parity on real trained weights, not only on random ones.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { extractFeatures } from '../../runtime/features.ts';
import { readNpy } from '../../runtime/weights/npy.ts';
import { useTestBackend } from '../helpers/backend.ts';

const root = join(import.meta.dirname, '../..');

test.before(async () => {
  await useTestBackend();
});

test('the shipped Fashion-MNIST ViT reproduces torchvision features within 1e-4', async (t) => {
  const output = join(mkdtempSync(join(tmpdir(), 'lpt-fmnist-')), 'features.npy');
  const result = await extractFeatures({
    weights: join(root, 'weights/vit-fmnist.safetensors'),
    naming: 'torchvision',
    heads: 4,
    input: join(root, 'test/fixtures/vit-fmnist/input.npy'),
    output,
  });
  t.like(result.config, { imageSize: 28, patchSize: 7, dim: 64, depth: 6, heads: 4, channels: 1 });
  const got = readNpy(output).data as Float32Array;
  const expected = readNpy(join(root, 'test/fixtures/vit-fmnist/features.npy')).data as Float32Array;
  t.is(got.length, expected.length);
  const diff = got.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0);
  t.true(diff < 1e-4, `max abs diff ${diff}`);
});

test('the shipped vision-language tower (weights/vl-fmnist.safetensors) reproduces torchvision features within 1e-4', async (t) => {
  const output = join(mkdtempSync(join(tmpdir(), 'lpt-vl-')), 'features.npy');
  const result = await extractFeatures({
    weights: join(root, 'weights/vl-fmnist.safetensors'),
    naming: 'torchvision',
    heads: 4,
    input: join(root, 'test/fixtures/vl-fmnist/input.npy'),
    output,
  });
  t.like(result.config, { imageSize: 28, patchSize: 7, dim: 64, depth: 4, heads: 4, channels: 1 });
  const got = readNpy(output).data as Float32Array;
  const expected = readNpy(join(root, 'test/fixtures/vl-fmnist/features.npy')).data as Float32Array;
  t.is(got.length, expected.length);
  const diff = got.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0);
  t.true(diff < 1e-4, `max abs diff ${diff}`);
});
