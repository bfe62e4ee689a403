import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WeightsError } from '../../../runtime/weights/errors.ts';
import { readTfjs, writeTfjs } from '../../../runtime/weights/tfjs.ts';
import type { HostTensor, NamedTensors } from '../../../runtime/weights/tensor.ts';
import { randomTensor, withTempDir } from './fixtures.ts';

function sample(): NamedTensors {
  return new Map<string, HostTensor>([
    ['blocks.0.attn.qkv.weight', randomTensor([12, 4], 1)],
    ['cls_token', randomTensor([1, 1, 4], 2)],
    ['ids', { dtype: 'int32', shape: [3], data: new Int32Array([1, -2, 3]) }],
  ]);
}

test('write then read round-trips exactly across several shards, with metadata', (t) => {
  withTempDir((dir) => {
    writeTfjs(dir, sample(), { shardBytes: 64, metadata: { heads: '2' } });
    const shards = readdirSync(dir).filter((f) => f.endsWith('.bin'));
    t.true(shards.length > 1);
    const { tensors, metadata } = readTfjs(dir);
    t.deepEqual(tensors, sample());
    t.deepEqual(metadata, { heads: '2' });
  });
});

test('the files decode with TensorFlow.js itself', async (t) => {
  await tf.setBackend('cpu');
  withTempDir((dir) => {
    writeTfjs(join(dir, 'model.json'), sample(), { shardBytes: 100 });
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf-8'));
    const group = model.weightsManifest[0];
    const bytes = Buffer.concat(group.paths.map((p: string) => readFileSync(join(dir, p))));
    const decoded = tf.io.decodeWeights(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
      group.weights,
    );
    for (const [name, tensor] of sample()) {
      t.deepEqual([...decoded[name]!.dataSync()], [...tensor.data].map(Number), name);
      t.deepEqual(decoded[name]!.shape, tensor.shape, name);
    }
    tf.dispose(Object.values(decoded));
  });
});

test('reads weights TensorFlow.js encoded, including uint8 and float16 quantisation', async (t) => {
  await tf.setBackend('cpu');
  const values = [0, 0.5, 1, 1.5];
  const w = tf.tensor2d(values, [2, 2]);
  const { data, specs } = await tf.io.encodeWeights([{ name: 'w', tensor: w }]);
  w.dispose();
  withTempDir((dir) => {
    const quantised = new Uint8Array([0, 1, 2, 3]);
    const half = new Uint16Array([0x3c00, 0xc000]); // 1, -2
    const all = Buffer.concat([Buffer.from(data), Buffer.from(quantised), Buffer.from(half.buffer)]);
    writeFileSync(join(dir, 'w.bin'), all);
    const manifest = [
      {
        paths: ['w.bin'],
        weights: [
          ...specs,
          { name: 'q', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
          { name: 'h', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
        ],
      },
    ];
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ weightsManifest: manifest }));
    const { tensors } = readTfjs(join(dir, 'model.json'));
    t.deepEqual([...tensors.get('w')!.data], values);
    t.deepEqual([...tensors.get('q')!.data], [-1, -0.5, 0, 0.5]);
    t.deepEqual([...tensors.get('h')!.data], [1, -2]);
  });
});

test('a truncated shard names the tensor it cuts', (t) => {
  withTempDir((dir) => {
    writeTfjs(dir, sample());
    const shard = join(dir, 'group1-shard1of1.bin');
    const bytes = readFileSync(shard);
    writeFileSync(shard, bytes.subarray(0, bytes.length - 20));
    const error = t.throws(() => readTfjs(dir), { instanceOf: WeightsError });
    t.is(error?.tensor, 'cls_token');
    t.regex(error!.message, /model\.json: tensor 'cls_token': needs bytes 192\.\.208 but the shards hold only 200/);
  });
});

test('a missing shard, a non-manifest JSON and an unsupported dtype are named', (t) => {
  withTempDir((dir) => {
    writeTfjs(dir, sample());
    const manifestPath = join(dir, 'model.json');
    const model = JSON.parse(readFileSync(manifestPath, 'utf-8'));
    model.weightsManifest[0].weights[0].dtype = 'string';
    writeFileSync(manifestPath, JSON.stringify(model));
    t.throws(() => readTfjs(dir), { message: /tensor 'blocks\.0\.attn\.qkv\.weight': unsupported dtype 'string'/ });
    model.weightsManifest[0].paths = ['gone.bin'];
    writeFileSync(manifestPath, JSON.stringify(model));
    t.throws(() => readTfjs(dir), { message: /gone\.bin: cannot read the file \(ENOENT\)/ });
    writeFileSync(manifestPath, '{"modelTopology": {}}');
    t.throws(() => readTfjs(dir), { message: /model\.json: has no weightsManifest/ });
  });
});
