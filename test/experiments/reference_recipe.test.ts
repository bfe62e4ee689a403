/**
 * The cross-check with the authors' phase-2 code (docs/REFERENCE.md) compares like with like only
 * while scripts/reference/reference_mnist_lt.lpt keeps two promises: its data and phase one are
 * the quickstart's, and its phase two is the recipe that scripts/reference/run_authors_phase2.py
 * runs through DongSky/LPT's phase2_test/train_dual_dualloss.py at its defaults (batch 32, lr
 * 0.01, weight decay 1e-4, 10 epochs; their model, losses, sampler and schedule as released).
 */
import test from 'ava';
import { join, resolve } from 'node:path';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { compile } from '../../compiler/compile.ts';
import type { Plan } from '../../plan/plan.ts';

const root = resolve(import.meta.dirname, '../..');
const host = nodeCompilerHost(root);

function firstPlan(file: string): Plan {
  const { plans, diagnostics } = compile(join(root, file), host);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((d) => d.message).join('; ')}`);
  return plans[0]!;
}

const reference = firstPlan('scripts/reference/reference_mnist_lt.lpt');
const quickstart = firstPlan('experiments/quickstart.lpt');
const phase = (plan: Plan, name: string) => plan.phases.find((p) => p.name === name)!;

test('the reference experiment runs the quickstart data, backbone, shared prompt, head and phase one', (t) => {
  t.deepEqual(reference.data, quickstart.data);
  t.deepEqual(reference.backbones, quickstart.backbones);
  t.deepEqual(reference.modules, quickstart.modules);
  t.deepEqual(phase(reference, 'one'), phase(quickstart, 'one'));
});

test("the reference experiment's phase two is the authors' phase-2 recipe as the driver runs it", (t) => {
  const two = phase(reference, 'two');
  t.deepEqual(two.trainable, ['group', 'cls']);
  t.is(two.batch, 32); // --batch-size 32: their batch_size for both loaders
  t.is(two.epochs, 10); // --epochs 10
  // optim.SGD(lr, momentum 0.9, weight_decay), lr = base_lr * batch / 256 = 0.08 * 32 / 256
  t.like(two.optimizer, { kind: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: false });
  // CosineLRScheduler(warmup_lr_init=1e-6, t_initial=epochs, warmup_t=1), stepped once per epoch
  t.deepEqual(two.schedule, { kind: 'cosine', warmupEpochs: 1, warmupFrom: 1e-6, per: 'epoch', minLr: 0 });
  // ClassAwareSampler(num_samples_cls=4) beside a shuffled loader, weight max(0, 0.5 (E - e) / E)
  t.like(two.sampler, { kind: 'dual', perClass: 4, weight: { scale: 1, linear: [{ from: 0.5, to: 0 }] } });
  // criterion(cb) - 0.5 sim(cb) + w(e) (criterion_ibs(ib) - 0.5 sim(ib)): AGCL(m 0.1, s 20,
  // noise_mul 0.5), its ASLSingleLabel gamma_pos 0 / gamma_neg 4 (cb) and 0.5 / 8 (ib), eps 0.1
  const agcl = { lambda: 0.5, margin: 0.1, noise_std: 1 / 3, label_smoothing: 0.1 };
  t.deepEqual(
    two.loss.map((l) => [l.loss, l.batch, l.weight.scale, l.weight.linear.length > 0, l.args]),
    [
      ['agcl', 'cb', 1, false, { ...agcl, gamma_pos: 0, gamma_neg: 4 }],
      ['matching', 'cb', -0.5, false, {}],
      ['agcl', 'ib', 1, true, { ...agcl, gamma_pos: 0.5, gamma_neg: 8 }],
      ['matching', 'ib', -0.5, true, {}],
    ],
  );
  // PromptLearner(pool_size 20, pool_blocks depth - share_blocks), topk 2, mean of the top k,
  // prompt length 10; the driver's share_blocks = depth // 2 is lpt's last_half
  const pool = reference.modules.pools[0]!;
  t.like(pool, { size: 20, top: 2, combine: 'mean', length: 10, query: 'shared', keys: 'learned' });
  t.deepEqual(pool.layers, [4, 5, 6]);
  t.like(reference.modules.heads[0]!, { kind: 'cosine', scale: 20, dropout: 0.1 });
  t.is(reference.evaluation[0]!.every, 1); // their script evaluates the test split after every epoch
});
