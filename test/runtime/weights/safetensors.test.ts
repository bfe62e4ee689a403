import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WeightsError } from '../../../runtime/weights/errors.ts';
import {
  encodeSafetensors,
  parseSafetensors,
  readSafetensors,
  writeSafetensors,
} from '../../../runtime/weights/safetensors.ts';
import type { HostTensor, NamedTensors } from '../../../runtime/weights/tensor.ts';
import { fixturePath, randomTensor, withTempDir } from './fixtures.ts';

const dtypeValues = JSON.parse(readFileSync(fixturePath('dtypes.json'), 'utf-8')).safetensors;

function sample(): NamedTensors {
  const weird = randomTensor([5], 3);
  weird.data.set([NaN, -0, Infinity, 1e-45, -3.4e38]);
  return new Map<string, HostTensor>([
    ['a.weight', randomTensor([3, 4], 1)],
    ['scalar', { dtype: 'float32', shape: [], data: new Float32Array([0.25]) }],
    ['empty', { dtype: 'float32', shape: [0, 2], data: new Float32Array(0) }],
    ['weird', weird],
    ['ids', { dtype: 'int32', shape: [2], data: new Int32Array([-5, 2147483647]) }],
    ['steps', { dtype: 'int64', shape: [2], data: new BigInt64Array([-1n, 2n ** 50n]) }],
  ]);
}

/** A header + data file built by hand, for corruption tests. */
function handMade(header: object, data: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function bits(
  data: ArrayLike<unknown> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number },
): number[] {
  return [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
}

test('write then read is bit-exact for float32, int32 and int64, with metadata', (t) => {
  withTempDir((dir) => {
    const path = join(dir, 'w.safetensors');
    const tensors = sample();
    writeSafetensors(path, tensors, { note: 'hello' });
    const parsed = parseSafetensors(readFileSync(path), path);
    t.deepEqual([...parsed.tensors.keys()], [...tensors.keys()]);
    for (const [name, tensor] of tensors) {
      const back = parsed.tensors.get(name)!;
      t.is(back.dtype, tensor.dtype, name);
      t.deepEqual(back.shape, tensor.shape, name);
      t.deepEqual(bits(back.data), bits(tensor.data), name);
    }
    t.deepEqual(parsed.metadata, { note: 'hello' });
  });
});

test('the header is padded so the data starts on an 8-byte boundary', (t) => {
  const bytes = encodeSafetensors(sample(), 'x');
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  t.is((8 + headerLength) % 8, 0);
});

test('reads F16, BF16, F64, I32 and I64 written by PyTorch', (t) => {
  const tensors = readSafetensors(fixturePath('dtypes.safetensors'));
  for (const name of ['half', 'bfloat', 'double', 'scalar']) {
    const tensor = tensors.get(name)!;
    t.is(tensor.dtype, 'float32', name);
    t.deepEqual([...tensor.data], dtypeValues[name].map(Math.fround), name);
  }
  t.deepEqual(tensors.get('half')!.shape, [2, 3]);
  t.deepEqual([...(tensors.get('int32')!.data as Int32Array)], dtypeValues.int32);
  t.deepEqual([...(tensors.get('int64')!.data as BigInt64Array)], dtypeValues.int64.map(BigInt));
  t.deepEqual(tensors.get('empty')!.shape, [0, 4]);
});

test('a truncated file names the tensor whose data is cut off', (t) => {
  const bytes = encodeSafetensors(sample(), 'x');
  const error = t.throws(() => parseSafetensors(bytes.subarray(0, bytes.length - 4), 'cut.safetensors'), {
    instanceOf: WeightsError,
  });
  t.is(error?.kind, 'format');
  t.is(error?.file, 'cut.safetensors');
  t.is(error?.tensor, 'steps');
  t.regex(error!.message, /cut\.safetensors.*'steps'.*truncated/);
});

test('a file cut inside the header says so', (t) => {
  const bytes = encodeSafetensors(sample(), 'x');
  t.throws(() => parseSafetensors(bytes.subarray(0, 20), 'short.safetensors'), {
    message: /short\.safetensors: header length \d+ runs past the end/,
  });
  t.throws(() => parseSafetensors(bytes.subarray(0, 5), 'tiny.safetensors'), {
    message: /tiny\.safetensors: too short/,
  });
});

test('a header that is not JSON is reported', (t) => {
  const bytes = handMade({}, new Uint8Array(0));
  bytes[8] = 0x7b + 1; // corrupt the opening brace
  t.throws(() => parseSafetensors(bytes, 'bad.safetensors'), {
    instanceOf: WeightsError,
    message: /bad\.safetensors: header is not valid JSON/,
  });
});

test('an unsupported dtype names the tensor', (t) => {
  const bytes = handMade({ w: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2));
  const error = t.throws(() => parseSafetensors(bytes, 'f8.safetensors'), { instanceOf: WeightsError });
  t.is(error?.kind, 'dtype');
  t.is(error?.tensor, 'w');
  t.regex(error!.message, /unsupported dtype "F8_E4M3"/);
});

test('offsets that disagree with dtype and shape name the tensor', (t) => {
  const bytes = handMade({ w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, new Uint8Array(24));
  t.throws(() => parseSafetensors(bytes, 'm.safetensors'), {
    message: /m\.safetensors: tensor 'w': data_offsets \[0, 20\] hold 20 bytes, but F32 \[2, 3\] needs 24/,
  });
});

test('overlapping tensors and malformed entries are rejected', (t) => {
  const overlap = handMade(
    { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
    new Uint8Array(12),
  );
  t.throws(() => parseSafetensors(overlap, 'o.safetensors'), {
    message: /tensor 'b': data_offsets overlap those of 'a'/,
  });
  const badShape = handMade({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }, new Uint8Array(0));
  t.throws(() => parseSafetensors(badShape, 's.safetensors'), { message: /tensor 'a': shape \[-1\] is not a list/ });
  const badOffsets = handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, new Uint8Array(4));
  t.throws(() => parseSafetensors(badOffsets, 'b.safetensors'), { message: /tensor 'a': data_offsets \[4,0\]/ });
});

test('writing a tensor whose data does not fit its shape names it', (t) => {
  const tensors: NamedTensors = new Map([['bad', { dtype: 'float32', shape: [2, 2], data: new Float32Array(3) }]]);
  t.throws(() => encodeSafetensors(tensors, 'out.safetensors'), {
    message: /out\.safetensors: tensor 'bad': has 3 values but shape \[2, 2\]/,
  });
});

test('a missing file is an io error naming it', (t) => {
  const error = t.throws(() => readSafetensors('/nonexistent/w.safetensors'), { instanceOf: WeightsError });
  t.is(error?.kind, 'io');
  t.regex(error!.message, /\/nonexistent\/w\.safetensors: cannot read the file \(ENOENT\)/);
});

test('a write that fails validation leaves the old file intact', (t) => {
  withTempDir((dir) => {
    const path = join(dir, 'w.safetensors');
    writeFileSync(path, 'old');
    const bad: NamedTensors = new Map([['bad', { dtype: 'float32', shape: [2], data: new Float32Array(1) }]]);
    t.throws(() => writeSafetensors(path, bad));
    t.is(readFileSync(path, 'utf-8'), 'old');
  });
});
