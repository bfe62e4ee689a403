/**
 * The paper's shapes on webgpu (issue 23, item 7): test/runtime/paper_shapes.test.ts's comparison
 * with PyTorch on the webgpu backend, at the depth LPT_PAPER_SHAPES_DEPTH names: 12 (ViT-B/16 whole)
 * on a GPU, in scripts/gpu/device_check.sh's paper-shapes stage; 2 (the pool in the last block) on
 * lavapipe, Mesa's CPU Vulkan, which takes about a CPU-minute for it (3.6 min of wall time on the
 * loaded 2-core machine), too long for every `npm test`: without the variable the test skips.
 *   LPT_PAPER_SHAPES_DEPTH=2 npx ava test/gpu/webgpu_paper_shapes.test.ts
 * Skips, with one line, without a WebGPU adapter.
 */
import test from 'ava';
import { initBackend } from '../../runtime/backend/init.ts';
import { checkPaperShapes, PAPER_SHAPE_DEPTHS } from '../helpers/paper_shapes.ts';
import { webgpuSkipReason } from '../helpers/webgpu.ts';

const FILE = 'test/gpu/webgpu_paper_shapes.test.ts';
const asked = process.env.LPT_PAPER_SHAPES_DEPTH;
const depth = PAPER_SHAPE_DEPTHS.find((d) => String(d) === asked);
if (asked !== undefined && depth === undefined)
  throw new Error(`LPT_PAPER_SHAPES_DEPTH must be one of ${PAPER_SHAPE_DEPTHS.join(', ')}, got '${asked}'`);
if (depth === undefined)
  console.log(`${FILE}: skipped: set LPT_PAPER_SHAPES_DEPTH=2 (lavapipe) or 12 (a GPU) to run it`);
const skipped = depth === undefined ? 'no depth' : await webgpuSkipReason(FILE);
const gpuTest = skipped === null ? test.serial : test.serial.skip;

test.before(async () => {
  if (skipped === null) await initBackend({ preference: 'webgpu', source: 'the test' });
});

gpuTest(
  `ViT-B/16 (${depth ?? 'LPT_PAPER_SHAPES_DEPTH'} blocks) phase-1 and phase-2 steps in micro-batches on webgpu match PyTorch`,
  async (t) => {
    await checkPaperShapes(t, depth!, 1e-4);
  },
);
