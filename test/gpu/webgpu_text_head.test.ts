/**
 * An LPT++ text head on webgpu, which has no synchronous read in Node: the CLIP text tower's class
 * embeddings against PyTorch's (test/fixtures/clip_text, scripts/fixtures/make_clip_text_fixtures.py)
 * within 1e-4, and test/fixtures/clip_text/tiny_vl.lpt (one CLIP file as image backbone and text
 * head) run end to end. Skips, with one line, without a WebGPU adapter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { compile } from '../../compiler/compile.ts';
import { initBackend } from '../../runtime/backend/init.ts';
import type { RunEvent } from '../../runtime/events.ts';
import { runExperiment } from '../../runtime/run/run_experiment.ts';
import { classEmbeddings } from '../../runtime/text/class_embeddings.ts';
import { withTempDirAsync } from '../runtime/weights/fixtures.ts';
import { webgpuSkipReason } from '../helpers/webgpu.ts';

const skipped = await webgpuSkipReason('test/gpu/webgpu_text_head.test.ts');
const gpuTest = skipped === null ? test.serial : test.serial.skip;
const root = join(import.meta.dirname, '../..');
const fixtures = join(root, 'test/fixtures/clip_text');
const reference = JSON.parse(readFileSync(join(fixtures, 'encoder.json'), 'utf8')) as {
  texts: string[];
  embeddings: number[][];
};

test.before(async () => {
  if (skipped === null) await initBackend({ preference: 'webgpu', source: 'the test' });
});

function tinyVl() {
  const { diagnostics, plans } = compile(join(fixtures, 'tiny_vl.lpt'), nodeCompilerHost(root));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('; '));
  return plans[0]!;
}

gpuTest('the text tower embeds class names on webgpu as PyTorch does', async (t) => {
  const head = tinyVl().modules.heads[0]!;
  if (head.kind !== 'text') return t.fail('no text head');
  await withTempDirAsync(async (dir) => {
    const before = tf.memory().numTensors;
    const names = ['dog', 'airfield']; // the fixture's first two texts: "a photo of a dog." and "a photo of a airfield."
    const { embeddings, fromCache } = await classEmbeddings(
      { ...head, classes: 2, classnames: names, template: 'a photo of a {}.' },
      { cacheDir: dir, cwd: root },
    );
    t.false(fromCache);
    const diff = Math.max(
      ...reference.embeddings
        .slice(0, 2)
        .flat()
        .map((v, i) => Math.abs(v - embeddings.data[i]!)),
    );
    t.true(diff <= 1e-4, `differs from PyTorch by ${diff}`);
    t.is(tf.memory().numTensors, before, 'the text tower is disposed');
  });
});

gpuTest('tiny_vl.lpt (a CLIP text head) runs end to end on webgpu', async (t) => {
  await withTempDirAsync(async (dir) => {
    const plan = { ...tinyVl(), out: dir };
    const events: RunEvent[] = [];
    const outcome = await runExperiment([plan], {
      runDir: join(dir, 'run'),
      emit: (e) => events.push(e),
      backend: { name: 'webgpu', reason: 'the test' },
    });
    t.false(outcome.stopped);
    const accuracy = outcome.results[0]!.accuracy.overall;
    t.true(accuracy >= 0 && accuracy <= 100, String(accuracy));
    t.true(events.some((e) => e.type === 'step' && Number.isFinite(e.losses['total'])));
  });
});
