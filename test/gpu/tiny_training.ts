/**
 * A few steps of both LPT phases of test/helpers/tiny_run.ts on one backend, as `lpt run` takes
 * them (the phase runner, phase two with the query cache), returning what a parity test compares.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../../plan/plan.ts';
import { initBackend } from '../../runtime/backend/init.ts';
import { disposeLptModel, trainableVariables } from '../../runtime/model/lpt_model.ts';
import { COMPUTE_QUERIES, type QuerySource } from '../../runtime/model/query.ts';
import { QueryCache } from '../../runtime/model/query_cache.ts';
import { prepareSplit } from '../../runtime/build/splits.ts';
import { activeView, buildBackbone, buildExpert, expertSlots, slotsOf } from '../../runtime/build/experts.ts';
import { createOptimizer, createPhaseRunner } from '../../runtime/run/phase.ts';
import type { StepLosses } from '../../runtime/train/step.ts';
import { tinyPlans } from '../helpers/tiny_run.ts';

export interface TinyTraining {
  /** Every step's losses, phase one's then phase two's. */
  readonly losses: StepLosses[];
  /** Each phase's trainable variables after its last step. */
  readonly trained: Float32Array[];
  /** The tensor count after each phase's last step equals the count after its first. */
  readonly tensorCountFlat: boolean;
  readonly queryCacheHits: number;
}

let plan: Plan | undefined;

/** `steps` steps of each phase on `backend`; the plan is compiled (on wasm) once per process. */
export async function trainTinyLpt(backend: string, steps: number): Promise<TinyTraining> {
  if (plan === undefined) {
    await initBackend({ preference: 'wasm', source: 'the test' }); // tinyPlans writes random weights with dataSync
    plan = tinyPlans().plans[0]!;
  }
  await initBackend({ preference: backend, source: 'the test' });
  const expert = plan.modules.experts[0]!;
  const model = buildExpert(
    plan,
    expert,
    buildBackbone(plan.backbones[0]!, plan.seed, () => {}),
    plan.seed,
  );
  const slots = expertSlots(plan, expert);
  const train = await prepareSplit(plan.data.splits.find((s) => s.name === 'train')!);
  const result = {
    losses: [] as StepLosses[],
    trained: [] as Float32Array[],
    tensorCountFlat: true,
    queryCacheHits: 0,
  };
  try {
    for (const phase of plan.phases) {
      const view = activeView(model, slots, new Set(phase.trainable));
      const trainable = trainableVariables(
        view,
        phase.trainable.flatMap((m) => slotsOf(slots, m)),
      );
      const optimizer = createOptimizer(phase, trainable);
      const cache = view.pool === null ? null : new QueryCache(train.dataset.labels.length, view.backbone.config.dim);
      const queries: QuerySource = cache === null ? COMPUTE_QUERIES : { kind: 'cache', cache };
      const runner = createPhaseRunner({
        plan,
        phase,
        experts: [{ name: null, model: view, queries }],
        trainable,
        optimizer,
        train,
      });
      let afterFirst = 0;
      for (let s = 0; s < steps; s++) {
        result.losses.push(await runner.step(0, s));
        if (s === 0) afterFirst = tf.memory().numTensors;
      }
      result.tensorCountFlat &&= tf.memory().numTensors === afterFirst;
      for (const v of trainable) result.trained.push((await v.data()) as Float32Array);
      result.queryCacheHits += cache?.stats().hits ?? 0;
      optimizer.dispose();
    }
  } finally {
    disposeLptModel(model);
  }
  return result;
}
