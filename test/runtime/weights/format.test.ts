import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat, readWeightFile, saveWeights } from '../../../runtime/weights/format.ts';
import type { NamedTensors } from '../../../runtime/weights/tensor.ts';
import { fixturePath, randomTensor, withTempDir } from './fixtures.ts';

test('formats are detected by extension, by directory, and by the first bytes', (t) => {
  t.is(detectFormat('a/b.safetensors'), 'safetensors');
  t.is(detectFormat('a/b.NPZ'), 'npz');
  t.is(detectFormat('a/model.json'), 'tfjs');
  withTempDir((dir) => {
    mkdirSync(join(dir, 'tfjs'));
    t.is(detectFormat(join(dir, 'tfjs')), 'tfjs');
    writeFileSync(join(dir, 'zip.bin'), 'PK\u0003\u0004rest');
    t.is(detectFormat(join(dir, 'zip.bin')), 'npz');
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(16));
    t.is(detectFormat(join(dir, 'w.bin')), 'safetensors');
    writeFileSync(join(dir, 'tiny'), 'x');
    t.throws(() => detectFormat(join(dir, 'tiny')), { message: /tiny: cannot tell the weight format/ });
  });
  t.throws(() => detectFormat('/nonexistent/w'), { message: /\/nonexistent\/w: cannot read the file \(ENOENT\)/ });
});

test('saveWeights writes each format so that readWeightFile reads the same tensors back', (t) => {
  const tensors: NamedTensors = new Map([
    ['a', randomTensor([2, 3], 1)],
    ['b.c', randomTensor([4], 2)],
  ]);
  withTempDir((dir) => {
    for (const path of [
      join(dir, 'w.safetensors'),
      join(dir, 'w.npz'),
      join(dir, 'tfjs-dir'),
      join(dir, 'named.json'),
    ]) {
      saveWeights(path, tensors, undefined, { k: 'v' });
      const file = readWeightFile(path);
      t.deepEqual(file.tensors, tensors, path);
      if (file.format !== 'npz') t.deepEqual(file.metadata, { k: 'v' }, path);
    }
    t.throws(() => saveWeights(join(dir, 'w.pt'), tensors), { message: /w\.pt: cannot tell which format to write/ });
  });
});

test('an explicit format overrides the extension', (t) => {
  const file = readWeightFile(fixturePath('p2_d16_l2_h1_c1.timm.safetensors'), 'safetensors');
  t.is(file.format, 'safetensors');
  t.throws(() => readWeightFile(fixturePath('p2_d16_l2_h1_c1.timm.safetensors'), 'npz'), {
    message: /not a readable \.npz \(zip\) archive/,
  });
});
