/**
 * Every family of the language the runtime runs, end to end on the tiny experiment: adapters,
 * a linear head, AdamW with a step schedule, class-aware and square-root sampling, focal, GCL,
 * balanced softmax and logit adjustment. Each variant must train, evaluate and leak nothing.
 */
import test from 'ava';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { lossSpec } from '../../../runtime/build/loss_terms.ts';
import { runExperiment } from '../../../runtime/run/run_experiment.ts';
import { classificationLoss, type LossSpec } from '../../../runtime/train/loss.ts';
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
  const outcome = await runExperiment(runs, {
    runDir: join(dir, 'run'),
    emit: () => {},
    backend: { name: 'test', reason: 'test' },
  });
  t.is(tf.memory().numTensors, before);
  t.deepEqual(
    outcome.results.map((r) => r.variant),
    runs.map((p) => p.variant!.name),
  );
  for (const r of outcome.results) t.true(Number.isFinite(r.accuracy.overall) && r.accuracy.overall >= 0, r.variant);
});

test('each family reaches the runtime as the named loss, not a cross-entropy fallback', (t) => {
  const { plans } = tinyPlans(tinyExperiment + variants);
  const term = (variant: string) => plans.find((p) => p.variant?.name === variant)!.phases[0]!.loss[0]!;
  const cases: [string, string, Record<string, unknown>][] = [
    ['class-aware focal', 'focal', { gamma: 2 }],
    ['logit adjustment', 'logitAdjusted', { tau: 1 }],
    ['balanced softmax', 'logitAdjusted', { tau: 1 }],
    ['sqrt gcl', 'gcl', {}],
  ];
  // Cosine logits of a head-heavy batch: a re-balancing or focusing loss gives another value than CE.
  const counts = [40, 20, 10, 5, 2];
  const value = (spec: LossSpec) =>
    tf.tidy(() => {
      const logits = tf.tensor2d(
        [0.9, 0.1, -0.2, 0.3, -0.5, 0.2, 0.8, 0.1, -0.3, 0.0, -0.1, 0.4, 0.6, 0.2, -0.2],
        [3, 5],
      );
      const loss = classificationLoss(spec, {
        logits,
        labels: tf.tensor1d([0, 1, 3], 'int32'),
        counts,
        noise: { noise: tf.zeros([3, 5]) as tf.Tensor2D },
      });
      return loss.dataSync()[0]!;
    });
  const ce = value({ kind: 'ce', scale: 20 });
  for (const [variant, kind, args] of cases) {
    const spec = lossSpec(term(variant), 20)!;
    t.like(spec, { kind, ...args }, variant);
    t.true(Math.abs(value(spec) - ce) > 1e-3, `${variant}: ${value(spec)} vs CE ${ce}`);
  }
});
