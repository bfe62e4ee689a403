import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { disposeLptModel, trainableVariables } from '../../../runtime/model/lpt_model.ts';
import { prepareSplit } from '../../../runtime/build/splits.ts';
import { activeView, buildBackbone, buildExpert, expertSlots, slotsOf } from '../../../runtime/build/experts.ts';
import { COMPUTE_QUERIES } from '../../../runtime/model/query.ts';
import { createOptimizer, createPhaseRunner } from '../../../runtime/run/phase.ts';
import { DivergedError } from '../../../runtime/train/step.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyPlans } from '../../helpers/tiny_run.ts';

test.before(async () => {
  await useTestBackend();
});

async function phaseOne() {
  const plan = tinyPlans().plans[0]!;
  const expert = plan.modules.experts[0]!;
  const backbone = buildBackbone(plan.backbones[0]!, plan.seed, () => {});
  const model = buildExpert(plan, expert, backbone, plan.seed);
  const slots = expertSlots(plan, expert);
  const phase = plan.phases[0]!;
  const view = activeView(model, slots, new Set(phase.trainable));
  const variables = trainableVariables(
    view,
    phase.trainable.flatMap((m) => slotsOf(slots, m)),
  );
  const optimizer = createOptimizer(phase, variables);
  const train = await prepareSplit(plan.data.splits.find((s) => s.name === 'train')!);
  return {
    model,
    view,
    variables,
    optimizer,
    runner: createPhaseRunner({
      plan,
      phase,
      experts: [{ name: null, model: view, queries: COMPUTE_QUERIES }],
      trainable: variables,
      optimizer,
      train,
    }),
  };
}

test.serial('a step updates exactly the trainable variables and keeps the tensor count flat', async (t) => {
  const { model, view, variables, optimizer, runner } = await phaseOne();
  t.is(view.pool, null, 'phase one runs without the untrained pool');
  const before = variables.map((v) => v.dataSync().slice());
  const poolBefore = model.pool!.prompts.dataSync().slice();
  await runner.step(0, 0);
  const count = tf.memory().numTensors;
  for (let s = 1; s < 4; s++) await runner.step(0, s);
  t.is(tf.memory().numTensors, count);
  variables.forEach((v, i) => t.notDeepEqual(v.dataSync(), before[i]));
  t.deepEqual(model.pool!.prompts.dataSync(), poolBefore);
  optimizer.dispose();
  disposeLptModel(model);
});

test.serial('a non-finite loss stops training with a clear message', async (t) => {
  const { model, optimizer, runner } = await phaseOne();
  model.head!.weight.assign(tf.fill(model.head!.weight.shape, NaN));
  const error = await t.throwsAsync(runner.step(0, 0), { instanceOf: DivergedError });
  t.regex(error!.message, /diverged in phase 'one', epoch 1, step 1: the loss is NaN/);
  optimizer.dispose();
  disposeLptModel(model);
});
