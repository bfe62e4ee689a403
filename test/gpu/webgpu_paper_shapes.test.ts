/**
 * The paper's shapes on webgpu (issue 23, item 7): test/runtime/paper_shapes.test.ts's comparison
 * with PyTorch on the webgpu backend. LPT_PAPER_SHAPES_DEPTH picks the fixture: 2 blocks by
 * default (lavapipe, Mesa's CPU Vulkan, computes them in CI time), 12 on a GPU
 * (scripts/gpu/device_check.sh's paper-shapes stage):
 *   LPT_PAPER_SHAPES_DEPTH=12 npx ava test/gpu/webgpu_paper_shapes.test.ts
 * Skips, with one line, without a WebGPU adapter.
 */
import test from 'ava';
import { initBackend } from '../../runtime/backend/init.ts';
import { checkPaperShapes, PAPER_SHAPE_DEPTHS, type PaperShapeDepth } from '../helpers/paper_shapes.ts';
import { webgpuSkipReason } from '../helpers/webgpu.ts';

const skipped = await webgpuSkipReason('test/gpu/webgpu_paper_shapes.test.ts');
const gpuTest = skipped === null ? test.serial : test.serial.skip;
const asked = Number(process.env.LPT_PAPER_SHAPES_DEPTH ?? 2);
const depth = PAPER_SHAPE_DEPTHS.find((d) => d === asked);
if (depth === undefined)
  throw new Error(`LPT_PAPER_SHAPES_DEPTH must be one of ${PAPER_SHAPE_DEPTHS.join(', ')}, got '${asked}'`);

test.before(async () => {
  if (skipped === null) await initBackend({ preference: 'webgpu', source: 'the test' });
});

gpuTest(`ViT-B/16 (${depth} blocks) phase-1 and phase-2 steps in micro-batches on webgpu match PyTorch`, async (t) => {
  await checkPaperShapes(t, depth as PaperShapeDepth, 1e-4);
});
