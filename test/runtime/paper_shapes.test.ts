/**
 * The paper's shapes checked against PyTorch (issue 23, item 7): one phase-1 and one phase-2
 * training step at ViT-B/16 shapes with LPT's prompts, batch 4 in micro-batches of 2, on this
 * test's backend (wasm by default; LPT_TEST_BACKEND), against the float64 PyTorch fixture of
 * scripts/fixtures/make_paper_shape_fixtures.py: losses, logits, the selected pool entries, and
 * every trained module's gradient (per row: norm and a projection). The webgpu twin is
 * test/gpu/webgpu_paper_shapes.test.ts.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend.ts';
import { paperShapesExpected, phaseErrors, runPaperShapes } from '../helpers/paper_shapes.ts';

const TOLERANCE = 1e-4;

test.before(async () => {
  await useTestBackend();
});

test('ViT-B/16 phase-1 and phase-2 steps in micro-batches match PyTorch', async (t) => {
  const before = tf.memory().numTensors;
  const got = await runPaperShapes(2);
  t.is(tf.memory().numTensors, before, 'no tensor leaks');
  t.deepEqual(got.phase2.selected, paperShapesExpected.phase2.selected, 'the selected pool entries');
  for (const phase of ['phase1', 'phase2'] as const) {
    for (const [what, error] of phaseErrors(got[phase], paperShapesExpected[phase])) {
      t.log(`${phase} ${what}: ${error.toExponential(2)}`);
      t.true(error < TOLERANCE, `${phase} ${what}: relative error ${error}`);
    }
  }
});
