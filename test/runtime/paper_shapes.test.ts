/**
 * The paper's shapes checked against PyTorch (issue 23, item 7): one phase-1 and one phase-2
 * training step at ViT-B/16 shapes, all 12 blocks, with LPT's prompts, batch 4 in micro-batches
 * of 2, on this test's backend (wasm by default; LPT_TEST_BACKEND), against the float64 PyTorch
 * fixture of scripts/fixtures/make_paper_shape_fixtures.py: losses, logits, the selected pool
 * entries, and every trained module's gradient (per row: norm and a projection). On webgpu:
 * test/gpu/webgpu_paper_shapes.test.ts.
 */
import test from 'ava';
import { useTestBackend } from '../helpers/backend.ts';
import { checkPaperShapes } from '../helpers/paper_shapes.ts';

test.before(async () => {
  await useTestBackend();
});

test('ViT-B/16 phase-1 and phase-2 steps in micro-batches match PyTorch', async (t) => {
  await checkPaperShapes(t, 12, 1e-4);
});
