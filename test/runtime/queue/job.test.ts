/**
 * What a worker accepts: a plan that passes the plan schema, whose content matches its hash and
 * whose hash is the job's id; and only paths under its data root (runtime/queue/confine.ts).
 */
import test from 'ava';
import { join } from 'node:path';
import type { Plan } from '../../../plan/plan.ts';
import { planHash } from '../../../plan/hash.ts';
import { confinePlan, PathEscapeError } from '../../../runtime/queue/confine.ts';
import { JobRejectedError, jobPlan } from '../../../runtime/queue/job.ts';
import { compileText } from '../../helpers/compile_source.ts';

const plan = (): Plan => {
  const result = compileText('import "base.lpt"\nexperiment e extends base { }');
  if (result.plans.length !== 1) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  return result.plans[0]!;
};

const withWeights = (p: Plan, path: string): Plan => ({
  ...p,
  backbones: p.backbones.map((b) => ({ ...b, weights: { path, format: 'safetensors', naming: 'lpt' } })),
});

const rehash = (p: Omit<Plan, 'hash'> & { hash?: string }): Plan => {
  const { hash: _, ...rest } = p;
  return { ...rest, hash: planHash(rest) } as Plan;
};

test('a valid plan under its own hash is accepted, with the checkpoint retention', (t) => {
  const p = plan();
  t.deepEqual(jobPlan(p.hash, { plan: p, keepCheckpoints: 3 }), { plan: p, keepCheckpoints: 3 });
});

test('anything else is rejected, naming the job and the problem', (t) => {
  const p = plan();
  const rejects = (id: string, data: unknown, message: RegExp) =>
    t.regex(t.throws(() => jobPlan(id, data), { instanceOf: JobRejectedError })!.message, message);
  rejects('x', { code: 'process.exit()' }, /job x: not a valid plan/);
  rejects(p.hash, { plan: { ...p, seed: 'one' } }, /not a valid plan:\n\/seed: must be/);
  rejects(p.hash, { plan: { ...p, seed: p.seed + 1 } }, /the plan's content does not match its hash/);
  const other = rehash({ ...p, seed: p.seed + 1 });
  rejects(p.hash, { plan: other }, /the job id is not the plan's hash/);
  rejects(p.hash, { plan: p, keepCheckpoints: 0 }, /keepCheckpoints must be a whole number/);
});

test('paths resolve under the data root; one that leads outside names itself', (t) => {
  const p = plan();
  const confined = confinePlan(p, '/data/lpt', '/scratch/w');
  const train = confined.data.splits[0]!.source as { images: string };
  t.is(train.images, join('/data/lpt', (p.data.splits[0]!.source as { images: string }).images));
  t.is(confined.out, '/scratch/w');
  t.is(confined.hash, p.hash, 'the plan keeps its hash (checkpoints are keyed by it)');

  const escaping = withWeights(p, '../../etc/weights.safetensors');
  const e = t.throws(() => confinePlan(escaping, '/data/lpt', '/scratch/w'), { instanceOf: PathEscapeError });
  t.regex(
    e!.message,
    /^plan 'e' reads outside the worker's data root \/data\/lpt:\n {2}the weights of backbone 'vit': \.\.\/\.\.\/etc\/weights\.safetensors$/,
  );
  t.throws(() => confinePlan(withWeights(p, '/data/lpt-other/w.safetensors'), '/data/lpt', '/scratch/w'), {
    message: /\/data\/lpt-other\/w\.safetensors/,
  });
  t.is(
    confinePlan(withWeights(p, '/data/lpt/w/../w.safetensors'), '/data/lpt', '/scratch/w').backbones[0]!.weights!.path,
    '/data/lpt/w.safetensors',
  );
});
