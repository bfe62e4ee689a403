import test from 'ava';
import { join } from 'node:path';
import { WeightsError } from '../../../runtime/weights/errors.ts';
import { encodeNpz, parseNpz, readNpz, writeNpz } from '../../../runtime/weights/npz.ts';
import { encodeNpy } from '../../../runtime/weights/npy.ts';
import type { NamedTensors } from '../../../runtime/weights/tensor.ts';
import { zipSync } from 'fflate';
import { fixturePath, randomTensor, withTempDir } from './fixtures.ts';

test('reads np.savez (stored, zip64 headers) and np.savez_compressed (deflated) archives', (t) => {
  const stored = readNpz(fixturePath('p4_d32_l2_h4_c3.npz'));
  const deflated = readNpz(fixturePath('p7_d24_l1_h2_c1.npz'));
  for (const tensors of [stored, deflated]) {
    t.true(tensors.has('embedding/kernel'));
    t.true(tensors.has('Transformer/encoderblock_0/MultiHeadDotProductAttention_1/query/kernel'));
  }
  t.deepEqual(stored.get('embedding/kernel')!.shape, [4, 4, 3, 32]);
  t.deepEqual(
    deflated.get('Transformer/encoderblock_0/MultiHeadDotProductAttention_1/query/kernel')!.shape,
    [24, 2, 12],
  );
});

test('write then read round-trips every tensor exactly', (t) => {
  withTempDir((dir) => {
    const tensors: NamedTensors = new Map([
      ['a/kernel', randomTensor([3, 2], 1)],
      ['b', randomTensor([5], 2)],
    ]);
    const path = join(dir, 'w.npz');
    writeNpz(path, tensors);
    const back = readNpz(path);
    t.deepEqual([...back.keys()].sort(), ['a/kernel', 'b']);
    for (const [name, tensor] of tensors) t.deepEqual(back.get(name), tensor);
  });
});

test('a corrupt archive names the file', (t) => {
  const bytes = encodeNpz(new Map([['a', randomTensor([8])]]), 'x');
  const error = t.throws(() => parseNpz(bytes.subarray(0, bytes.length - 30), 'bad.npz'), { instanceOf: WeightsError });
  t.regex(error!.message, /^bad\.npz: not a readable \.npz \(zip\) archive/);
});

test('a truncated member names the tensor', (t) => {
  const npy = encodeNpy(randomTensor([4]), 'x');
  const bytes = zipSync({ 'layer/w.npy': [npy.subarray(0, npy.length - 4), { level: 0 }] });
  const error = t.throws(() => parseNpz(bytes, 'm.npz'), { instanceOf: WeightsError });
  t.is(error?.tensor, 'layer/w');
  t.regex(error!.message, /m\.npz: tensor 'layer\/w': data holds 12 bytes/);
});
