/**
 * The run's preflight: each phase's micro-batch from the plan's memory estimate and the device,
 * a hand-written one winning, and a refusal with the numbers when one image per stream does not
 * fit. On LPT at the papers' shapes (ViT-B/16, batch 256 per stream, dual sampling).
 */
import test from 'ava';
import { resolve } from 'node:path';
import { nodeCompilerHost } from '../../../compiler/node_host.ts';
import { compile } from '../../../compiler/compile.ts';
import type { Plan } from '../../../plan/plan.ts';
import { deviceMemory } from '../../../runtime/run/device_memory.ts';
import { chooseMicroBatches, MemoryError } from '../../../runtime/run/micro_batch_choice.ts';

const root = resolve(import.meta.dirname, '../../..');
const plan: Plan = compile(resolve(root, 'experiments/lpt_places_lt.lpt'), nodeCompilerHost(root)).plans[0]!;
const GiB = 2 ** 30;

test('the largest micro-batch that fits the device, per phase, with the numbers in the reason', (t) => {
  const device = { bytes: 16 * GiB, largestTensor: null, source: 'test memory' };
  const [one, two] = chooseMicroBatches(plan, device, 'native');
  const fixed = 8 * plan.budget.backboneParams;
  for (const [i, choice] of [one!, two!].entries()) {
    const perImage = plan.budget.phases[i]!.bytesPerImage.native;
    const trainable = 16 * plan.budget.phases[i]!.trainableParams;
    const expected = Math.floor((16 * GiB - fixed - trainable) / (2 * perImage));
    t.is(choice.microBatch, expected);
    t.true(choice.microBatch < 256, "the papers' batch does not fit in 16 GiB");
    t.regex(choice.reason, new RegExp(`^${expected} per stream fit: .* of 16.0 GiB, test memory; .* per image`));
  }
  t.true(two!.microBatch > one!.microBatch, 'phase two holds less per image');
});

test('the whole batch when it fits; nothing to split for the unknown device', (t) => {
  const [one] = chooseMicroBatches(plan, { bytes: 10_000 * GiB, largestTensor: null, source: 'a big one' }, 'native');
  t.is(one!.microBatch, 256);
  t.regex(one!.reason, /^the whole batch fits/);
  const [unknown] = chooseMicroBatches(plan, deviceMemory('node-gpu'), 'ops');
  t.is(unknown!.microBatch, 256);
  t.regex(unknown!.reason, /reports no memory size: the whole batch at once/);
});

test('a GPU bounds the largest tensor: the attention of a micro-batch must fit one buffer', (t) => {
  const perImage = plan.budget.phases[0]!.largestTensorPerImage;
  const [one] = chooseMicroBatches(plan, { bytes: null, largestTensor: 10 * perImage + 1, source: 'a buffer' }, 'ops');
  t.is(one!.microBatch, 10);
});

test("--micro-batch, then the plan's micro_batch, win over the estimate (which still warns)", (t) => {
  const device = { bytes: 16 * GiB, largestTensor: null, source: 'test memory' };
  const [forced] = chooseMicroBatches(plan, device, 'native', 200);
  t.is(forced!.microBatch, 200);
  t.regex(forced!.reason, /^--micro-batch 200; the estimate says at most \d+ fit$/);
  const written = { ...plan, phases: plan.phases.map((p) => ({ ...p, microBatch: 4 })) };
  const [fromPlan] = chooseMicroBatches(written, device, 'native');
  t.deepEqual([fromPlan!.microBatch, fromPlan!.reason], [4, 'micro_batch 4 in the plan']);
  t.is(chooseMicroBatches(plan, device, 'native', 1000)[0]!.microBatch, 256, 'never more than the batch');
});

test('a plan that cannot fit one image per stream is refused with the numbers', (t) => {
  const device = deviceMemory('wasm', 1 * GiB);
  const error = t.throws(() => chooseMicroBatches(plan, device, 'ops'), { instanceOf: MemoryError });
  t.regex(
    error!.message,
    /lpt_places_lt\.lpt: phase 'one' of lpt_places_lt cannot fit even one image per stream: it needs .* at micro-batch 1 \(.* per image x 2 streams, plus .* of weights and optimiser state\), but the machine's free memory \(1\.0 GiB\) x 0\.8 safety allows 820 MiB\. Use a smaller model/,
  );
  t.throws(() => chooseMicroBatches(plan, device, 'ops', 1), { instanceOf: MemoryError }, 'a hand-written one too');
});

test("wasm: the heap's 4 GiB, or the free memory when less", (t) => {
  t.is(deviceMemory('wasm', 64 * GiB).bytes, 0.8 * 4 * GiB);
  t.is(deviceMemory('wasm', 2 * GiB).bytes, 0.8 * 2 * GiB);
  t.is(deviceMemory('cpu', 64 * GiB).bytes, 0.8 * 64 * GiB);
});
