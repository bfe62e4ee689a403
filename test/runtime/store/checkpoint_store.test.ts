import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import test from 'ava';
import {
  CheckpointError,
  loadCheckpoint,
  manifestPath,
  storeCheckpoint,
  type CheckpointManifest,
} from '../../../runtime/store/checkpoint_store.ts';
import { encodeSafetensors } from '../../../runtime/weights/safetensors.ts';

const planHash = 'a'.repeat(64);
const fresh = () => mkdtempSync(join(tmpdir(), 'lpt-ckpt-'));

/** A checkpoint file whose one tensor holds `value` `n` times. */
function bytes(value: number, n = 4, hash = planHash): Uint8Array {
  return encodeSafetensors(
    new Map([['module:cls/w', { dtype: 'float32', shape: [n], data: new Float32Array(n).fill(value) }]]),
    'test',
    { planHash: hash },
  );
}

const at = (phase: string, phaseIndex: number, epoch: number, step = 0) => ({
  phaseIndex,
  phase,
  epoch,
  step,
  finished: [],
});
const value = (c: ReturnType<typeof loadCheckpoint>) =>
  (c!.contents.tensors.get('module:cls/w')!.data as Float32Array)[0];

test('the newest N checkpoints of each phase are kept, newest first', (t) => {
  const dir = fresh();
  for (let e = 1; e <= 4; e++) storeCheckpoint(dir, planHash, at('one', 0, e), e, bytes(e), 2);
  for (let e = 1; e <= 3; e++) storeCheckpoint(dir, planHash, at('two', 1, e), e, bytes(10 + e), 2);
  const manifest = JSON.parse(readFileSync(manifestPath(dir), 'utf8')) as CheckpointManifest;
  t.deepEqual(
    manifest.checkpoints.map((c) => c.file),
    ['two-e3-s0.safetensors', 'two-e2-s0.safetensors', 'one-e4-s0.safetensors', 'one-e3-s0.safetensors'],
  );
  t.is(manifest.file, 'two-e3-s0.safetensors');
  t.deepEqual(readdirSync(dir).sort(), ['manifest.json', ...manifest.checkpoints.map((c) => c.file)].sort());
  t.is(value(loadCheckpoint(dir, planHash, () => t.fail())), 13);

  const one = fresh();
  for (let e = 1; e <= 3; e++) storeCheckpoint(one, planHash, at('one', 0, e), e, bytes(e), 1);
  t.deepEqual(readdirSync(one).sort(), ['manifest.json', 'one-e3-s0.safetensors']);
});

test('a truncated or corrupted newest checkpoint falls back to the one before, naming both', (t) => {
  const dir = fresh();
  for (let e = 1; e <= 2; e++) storeCheckpoint(dir, planHash, at('one', 0, e), e, bytes(e), 2);
  const newest = join(dir, 'one-e2-s0.safetensors');
  truncateSync(newest, 40);
  const warnings: string[] = [];
  const loaded = loadCheckpoint(dir, planHash, (w) => warnings.push(w));
  t.is(loaded!.entry.file, 'one-e1-s0.safetensors');
  t.is(value(loaded), 1);
  t.is(warnings.length, 1);
  t.true(warnings[0]!.includes(newest) && warnings[0]!.includes(join(dir, 'one-e1-s0.safetensors')), warnings[0]);
  t.regex(warnings[0]!, /40 bytes where the manifest says \d+ \(truncated\?\)/);

  // Same size, one byte flipped in the data.
  storeCheckpoint(dir, planHash, at('one', 0, 2), 2, bytes(2), 2);
  const data = readFileSync(newest);
  data[data.length - 1] = data.at(-1)! ^ 0xff;
  writeFileSync(newest, data);
  const flipped: string[] = [];
  t.is(loadCheckpoint(dir, planHash, (w) => flipped.push(w))!.entry.file, 'one-e1-s0.safetensors');
  t.regex(flipped[0]!, /sha256 differs/);
});

test('no valid checkpoint left, or checkpoints of another plan, is a clear error', (t) => {
  const dir = fresh();
  storeCheckpoint(dir, planHash, at('one', 0, 1), 1, bytes(1), 2);
  truncateSync(join(dir, 'one-e1-s0.safetensors'), 10);
  const none = t.throws(() => loadCheckpoint(dir, planHash, () => {}), { instanceOf: CheckpointError });
  t.regex(none!.message, /no usable checkpoint in .*\n {2}.*one-e1-s0\.safetensors: fails validation/);
  const other = t.throws(() => loadCheckpoint(dir, 'b'.repeat(64), () => {}), { instanceOf: CheckpointError });
  t.regex(other!.message, /manifest\.json: the checkpoints belong to plan a+, not b+/);
  writeFileSync(manifestPath(dir), '{"file": ');
  t.throws(() => loadCheckpoint(dir, planHash, () => {}), {
    instanceOf: CheckpointError,
    message: /manifest\.json: cannot read the checkpoint manifest/,
  });
  t.is(
    loadCheckpoint(fresh(), planHash, () => {}),
    null,
  );
});

test('a manifest from before retention (one file, no hashes) still resumes', (t) => {
  const dir = fresh();
  writeFileSync(join(dir, 'one-e1-s0.safetensors'), bytes(7));
  writeFileSync(
    manifestPath(dir),
    JSON.stringify({
      ...at('one', 0, 1),
      planHash,
      optimizerStep: 3,
      file: 'one-e1-s0.safetensors',
      written: '2026-11-01T00:00:00Z',
    }),
  );
  const loaded = loadCheckpoint(dir, planHash, () => t.fail());
  t.is(loaded!.entry.optimizerStep, 3);
  t.is(value(loaded), 7);
});

test('a failed write (file-size limit) stops with the path named and leaves the previous checkpoint valid', (t) => {
  const dir = fresh();
  const store = resolve(import.meta.dirname, '../../../runtime/store/checkpoint_store.ts');
  const safetensors = resolve(import.meta.dirname, '../../../runtime/weights/safetensors.ts');
  // A child with `ulimit -f 16` (16 KiB): the first checkpoint fits, the second (64 KiB) does not.
  const script = `
    import { storeCheckpoint } from ${JSON.stringify(store)};
    import { encodeSafetensors } from ${JSON.stringify(safetensors)};
    const f = (n, v) => encodeSafetensors(new Map([['module:cls/w', { dtype: 'float32', shape: [n], data: new Float32Array(n).fill(v) }]]), 't', { planHash: '${planHash}' });
    const at = (e) => ({ phaseIndex: 0, phase: 'one', epoch: e, step: 0, finished: [] });
    storeCheckpoint(${JSON.stringify(dir)}, '${planHash}', at(1), 1, f(16, 1), 2);
    try { storeCheckpoint(${JSON.stringify(dir)}, '${planHash}', at(2), 2, f(16384, 2), 2); } catch (e) { console.log(e.name + ': ' + e.message); }`;
  const out = execFileSync(
    'bash',
    ['-c', 'ulimit -f 16 && exec "$0" --import tsx --input-type=module -e "$1"', process.execPath, script],
    {
      cwd: resolve(import.meta.dirname, '../../..'),
      encoding: 'utf8',
    },
  );
  t.regex(
    out,
    /CheckpointError: cannot write the checkpoint .*one-e2-s0\.safetensors \(EFBIG: file too large.*\); the run stops here, and the previous checkpoint, .*one-e1-s0\.safetensors, is intact/,
  );
  const loaded = loadCheckpoint(dir, planHash, () => t.fail());
  t.is(loaded!.entry.file, 'one-e1-s0.safetensors');
  t.deepEqual(readdirSync(dir).sort(), ['manifest.json', 'one-e1-s0.safetensors']);
});
