/**
 * Every family of the language the runtime runs, end to end on the tiny experiment: adapters,
 * a linear head, AdamW with a step schedule, class-aware and square-root sampling, focal, GCL,
 * balanced softmax and logit adjustment. Each variant must train, evaluate and leak nothing.
 */
import test from 'ava';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { runExperiment } from '../../../runtime/run/run_experiment.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyExperiment, tinyPlans } from '../../helpers/tiny_run.ts';

test.before(async () => {
  await useTestBackend();
});

const variants = `
ablation families of tiny {
  variant "adapters, linear head, adamw, step" {
    adapter ada = adaptformer(bottleneck: 4, scale: 0.1, layers: all) on vit
    cls = linear()
    drop two, group
    phase one { train shared, ada, cls; loss ce; sample instance; optim adamw(lr: 0.001); schedule step(milestones: [1], gamma: 0.5) }
  }
  variant "class-aware focal" { drop two, group; phase one { loss focal(gamma: 2); sample class_aware(per_class: 2) } }
  variant "sqrt gcl" { drop two, group; phase one { loss gcl; sample sqrt } }
  variant "logit adjustment" { drop two, group; phase one { loss logit_adjust(tau: 1); sample instance } }
  variant "balanced softmax" { drop two, group; phase one { loss balanced_softmax; sample instance } }
}
`;

test('every loss, sampler, optimiser, schedule, adapter and head family runs end to end', async (t) => {
  const { dir, plans } = tinyPlans(tinyExperiment + variants);
  const runs = plans.filter((p) => p.variant?.ablation === 'families');
  t.is(runs.length, 5);
  const before = tf.memory().numTensors;
  const outcome = await runExperiment(runs, { runDir: join(dir, 'run'), emit: () => {}, backend: { name: 'test', reason: 'test' } });
  t.is(tf.memory().numTensors, before);
  t.deepEqual(outcome.results.map((r) => r.variant), runs.map((p) => p.variant!.name));
  for (const r of outcome.results) t.true(Number.isFinite(r.accuracy.overall) && r.accuracy.overall >= 0, r.variant);
});
