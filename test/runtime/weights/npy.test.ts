import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WeightsError } from '../../../runtime/weights/errors.ts';
import { encodeNpy, parseNpy, readNpy, writeNpy } from '../../../runtime/weights/npy.ts';
import type { HostTensor } from '../../../runtime/weights/tensor.ts';
import { fixturePath, randomTensor, withTempDir } from './fixtures.ts';

const expected: Record<string, { shape: number[]; values: number[] }> = JSON.parse(
  readFileSync(fixturePath('dtypes.json'), 'utf-8'),
).npy;

for (const [name, { shape, values }] of Object.entries(expected)) {
  test(`reads NumPy's ${name}.npy`, (t) => {
    const tensor = readNpy(fixturePath(`npy/${name}.npy`));
    t.deepEqual(tensor.shape, shape);
    const got = [...tensor.data].map(Number);
    t.deepEqual(
      got,
      values.map((v) => (tensor.dtype === 'float32' ? Math.fround(v) : v)),
    );
    t.is(tensor.dtype, name.startsWith('i') ? (name.startsWith('i8') ? 'int64' : 'int32') : 'float32');
  });
}

test('write then read is bit-exact and the header is 64-byte aligned', (t) => {
  withTempDir((dir) => {
    const cases: HostTensor[] = [
      randomTensor([2, 3, 4], 5),
      { dtype: 'float32', shape: [7], data: new Float32Array([NaN, -0, 1, 2, 3, 4, 5]) },
      { dtype: 'float32', shape: [], data: new Float32Array([3]) },
      { dtype: 'int32', shape: [1, 2], data: new Int32Array([-1, 9]) },
      { dtype: 'int64', shape: [2], data: new BigInt64Array([-(2n ** 60n), 3n]) },
    ];
    for (const [i, tensor] of cases.entries()) {
      const path = join(dir, `${i}.npy`);
      writeNpy(path, tensor);
      const bytes = readFileSync(path);
      t.is((bytes.length - tensor.data.byteLength) % 64, 0);
      const back = readNpy(path);
      t.is(back.dtype, tensor.dtype);
      t.deepEqual(back.shape, tensor.shape);
      t.deepEqual(
        Buffer.from(back.data.buffer),
        Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength),
      );
    }
  });
});

test('truncated data is reported with both sizes', (t) => {
  const bytes = encodeNpy(randomTensor([4, 4]), 'x');
  const error = t.throws(() => parseNpy(bytes.subarray(0, bytes.length - 8), 'in.npy'), { instanceOf: WeightsError });
  t.is(error?.kind, 'format');
  t.regex(error!.message, /in\.npy: data holds 56 bytes, but '<f4' \[4, 4\] needs 64 \(truncated file\?\)/);
});

test('extra data (a mis-shaped array) is reported too', (t) => {
  const bytes = encodeNpy(randomTensor([4, 4]), 'x');
  const padded = new Uint8Array(bytes.length + 4);
  padded.set(bytes);
  t.throws(() => parseNpy(padded, 'in.npy'), { message: /data holds 68 bytes, but '<f4' \[4, 4\] needs 64$/ });
});

test('not an npy file, unsupported dtypes and structured arrays are named', (t) => {
  t.throws(() => parseNpy(new TextEncoder().encode('hello world, not numpy'), 'x.npy'), {
    message: /x\.npy: not a \.npy array/,
  });
  const bytes = encodeNpy(randomTensor([2]), 'x');
  const text = Buffer.from(bytes).toString('latin1').replace("'<f4'", "'<c8'");
  const error = t.throws(() => parseNpy(Buffer.from(text, 'latin1'), 'c.npy', 'member'), { instanceOf: WeightsError });
  t.is(error?.kind, 'dtype');
  t.regex(error!.message, /c\.npy: tensor 'member': unsupported dtype '<c8'/);
  const structured = Buffer.from(text.replace("'descr': '<c8'", "'descr': [('a', '<f4')]"), 'latin1');
  t.throws(() => parseNpy(structured, 's.npy'), { message: /s\.npy: cannot read the \.npy header/ });
});
