/**
 * Phases shared by the plans of one run (runtime/store/phase_memo.ts): a variant whose first phases
 * equal an earlier plan's takes their tensors instead of training them, and ends with the same
 * numbers and tensors as when it runs alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../../../plan/plan.ts';
import type { RunResults } from '../../../plan/results.ts';
import type { RunEvent } from '../../../runtime/events.ts';
import { phasePrefixKey } from '../../../runtime/store/phase_memo.ts';
import { runExperiment } from '../../../runtime/run/run_experiment.ts';
import { checkpointDir } from '../../../runtime/store/run_directory.ts';
import { readSafetensors } from '../../../runtime/weights/safetensors.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyPlans } from '../../helpers/tiny_run.ts';

const backend = { name: 'test', reason: 'test' };

const source = `
experiment duo {
  seed 3
  data {
    train = mnist(split: train) | longtail(ratio: 10, max: 20) | normalize(mean: 0.5, std: 0.5)
    test  = mnist(split: test) | longtail(ratio: 2, max: 12) | normalize(mean: 0.5, std: 0.5)
  }
  backbone vit = vit(image: 28, patch: 7, dim: 16, depth: 2, heads: 2, channels: 1, weights: "tiny.safetensors", naming: lpt)
  prompt a_shared = deep(length: 2, layers: all) on vit
  prompt b_shared = deep(length: 3, layers: all) on vit
  head a_head = cosine(scale: 20)
  head b_head = cosine(scale: 10)
  expert a = expert(backbone: vit, modules: [a_shared], head: a_head)
  expert b = expert(backbone: vit, modules: [b_shared], head: b_head)
  scorer mix = moe(experts: [a, b], input: confidence, hidden: 8, gate: softmax)
  phase one { train a_shared, a_head, b_shared, b_head; loss agcl; sample dual(per_class: 2); optim sgd(lr: 0.05, lr_scale: none); epochs 1; batch 8 }
  phase three after one { train mix; loss balanced_softmax; sample instance; optim adamw(lr: 0.05, lr_scale: none); epochs 2; batch 8 }
  evaluate test { model mix; shots(many: >15, few: <=5) }
}
ablation experts of duo {
  variant "a" { drop three; evaluate test { model a } }
  variant "feature scorer" { mix.input = feature }
  variant "seed 4" { seed 4 }
}
`;

const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;

function finalTensors(runDir: string, plan: Plan) {
  const dir = checkpointDir(runDir, plan);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { file: string };
  return readSafetensors(join(dir, manifest.file));
}

test.before(async () => {
  await useTestBackend();
});

function byVariant(plans: readonly Plan[], name: string | null): Plan {
  return plans.find((p) => (p.variant?.name ?? null) === name)!;
}

test('the key of a phase prefix leaves out what those phases cannot touch', (t) => {
  const { plans } = tinyPlans(source);
  const base = byVariant(plans, null);
  const feature = byVariant(plans, 'feature scorer');
  const single = byVariant(plans, 'a');
  t.is(phasePrefixKey(feature, 1), phasePrefixKey(base, 1), 'phase one does not train the scorer');
  t.not(phasePrefixKey(feature, 2), phasePrefixKey(base, 2), 'phase three does');
  t.is(phasePrefixKey(single, 1), phasePrefixKey(base, 1), 'the evaluation is not part of it');
  t.not(phasePrefixKey(byVariant(plans, 'seed 4'), 1), phasePrefixKey(base, 1));
});

test.serial(
  'variants take the phases an earlier plan trained identically, and end as when they run alone',
  async (t) => {
    const { dir, plans } = tinyPlans(source);
    const events: RunEvent[] = [];
    const before = tf.memory().numTensors;
    await runExperiment(plans, { runDir: join(dir, 'together'), emit: (e) => events.push(e), backend });
    t.is(tf.memory().numTensors, before);
    const reused = (variant: string) => {
      const start = events.find((e) => e.type === 'run_start' && e.variant === variant);
      return start?.type === 'run_start' ? start.reused : undefined;
    };
    t.is(reused('duo'), undefined);
    t.deepEqual(reused('a'), { phases: ['one'], from: 'duo' });
    t.deepEqual(reused('feature scorer'), { phases: ['one'], from: 'duo' });
    t.is(reused('seed 4'), undefined);
    t.false(
      events.some((e) => e.type === 'phase_start' && e.variant === 'feature scorer' && e.phase === 'one'),
      'phase one is not trained again',
    );

    const together = readResults(join(dir, 'together')).variants;
    for (const plan of plans.filter((p) => p.variant !== null)) {
      const alone = join(dir, `alone-${plan.variant!.name.replace(/ /g, '_')}`);
      await runExperiment([plan], { runDir: alone, emit: () => {}, backend });
      const a = readResults(alone).variants[0]!;
      const b = together.find((v) => v.planHash === plan.hash)!;
      t.deepEqual([b.accuracy, b.perClass], [a.accuracy, a.perClass], plan.variant!.name);
      const tensorsAlone = finalTensors(alone, plan);
      for (const [name, tensor] of finalTensors(join(dir, 'together'), plan))
        t.deepEqual(tensor.data, tensorsAlone.get(name)!.data, `${plan.variant!.name}: ${name}`);
    }
  },
);
