/**
 * How the prompt pool of a finished LPT run moved and is used: for each plan of a run directory
 * that has a pool, the angle each key turned from its initialisation (the seeded start the run
 * drew) to its trained value, the head columns' angle, and on `--images N` images per class of the
 * plan's validation split (else its test split) which entries the trained queries select.
 *   npx tsx scripts/analysis/pool_usage.ts RUN_DIR [--images 50]
 * Prints one block per plan. Read-only on the run directory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../../plan/plan.ts';
import { initBackend } from '../../runtime/backend/init.ts';
import { loadBatch } from '../../runtime/data/batch.ts';
import { forwardQuery } from '../../runtime/model/lpt_model.ts';
import { selectFromPool } from '../../runtime/model/prompt_pool.ts';
import { prepareSplit } from '../../runtime/build/splits.ts';
import { buildBackbone, buildExpert } from '../../runtime/build/experts.ts';
import { readSafetensors } from '../../runtime/weights/safetensors.ts';

const args = process.argv.slice(2);
const runDir = args[0];
const perClass = Number(args[args.indexOf('--images') + 1] ?? 50) || 50;
if (runDir === undefined) throw new Error('usage: pool_usage.ts RUN_DIR [--images N]');
await initBackend({ preference: 'auto' });

/** Per column (axis 1 of [n, D] rows, or axis 0 of [D, C]): degrees between a and b. */
function angles(a: tf.Tensor2D, b: tf.Tensor2D, axis: 0 | 1): number[] {
  return tf.tidy(() => {
    const cos = tf.div(tf.sum(tf.mul(a, b), axis), tf.mul(tf.norm(a, 2, axis), tf.norm(b, 2, axis)));
    return Array.from(cos.dataSync(), (c) => (Math.acos(Math.min(1, Math.max(-1, c))) * 180) / Math.PI);
  });
}
const stats = (xs: number[]) =>
  `mean ${(xs.reduce((s, x) => s + x, 0) / xs.length).toFixed(2)}, max ${Math.max(...xs).toFixed(2)}`;
const norms = (t: tf.Tensor, axis: number) => tf.tidy(() => Array.from(tf.norm(t, 2, axis).dataSync()));

for (const file of readdirSync(join(runDir, 'plans')).sort()) {
  const plan = JSON.parse(readFileSync(join(runDir, 'plans', file), 'utf8')) as Plan;
  const expert = plan.modules.experts[0]!;
  if (expert.pools.length === 0) continue;
  const folder = join(runDir, 'checkpoints', file.replace(/\.json$/, ''));
  const last = plan.phases.at(-1)!;
  const final = join(folder, `${last.name}-e${last.epochs}-s0.safetensors`);
  if (!existsSync(final)) {
    console.log(`${plan.name}: no final checkpoint (${final})`);
    continue;
  }
  const firstPhase = plan.phases[0]!;
  const phaseOneFile = join(folder, `${firstPhase.name}-e${firstPhase.epochs}-s0.safetensors`);
  // A plan whose phases were reused from another plan of the run has only the checkpoint where the reuse ended.
  if (!existsSync(phaseOneFile)) {
    console.log(
      `${plan.name}: no checkpoint at the end of phase ${firstPhase.name} (phases reused from another plan?)`,
    );
    continue;
  }
  const backbone = buildBackbone(plan.backbones[0]!, plan.seed, () => {});
  const model = buildExpert(plan, expert, backbone, plan.seed);
  const initKeys = model.pool!.keys.clone() as tf.Tensor2D;
  const phaseOneEnd = readSafetensors(phaseOneFile);
  const saved = readSafetensors(final);
  const get = (
    t: Map<string, { shape: readonly number[]; data: Float32Array | Int32Array | BigInt64Array }>,
    name: string,
  ) => {
    const h = t.get(`module:${name}`)!;
    return tf.tensor(h.data as Float32Array, [...h.shape]);
  };
  const keys = get(saved, 'pool.keys') as tf.Tensor2D;
  model.pool!.keys.assign(keys);
  model.pool!.prompts.assign(get(saved, 'pool.prompts'));
  model.shared!.prompts.assign(get(saved, 'shared.prompts'));
  const headOne = get(phaseOneEnd, 'head.weight') as tf.Tensor2D;
  const headEnd = get(saved, 'head.weight') as tf.Tensor2D;
  console.log(`${plan.name}`);
  console.log(`  key norms: init ${stats(norms(initKeys, 1))}; trained ${stats(norms(keys, 1))}`);
  console.log(`  keys turned (degrees) in phase 2: ${stats(angles(initKeys, keys, 1))}`);
  console.log(`  head columns turned (degrees) in phase 2: ${stats(angles(headOne, headEnd, 0))}`);

  const splitName = plan.data.splits.some((s) => s.name === 'val') ? 'val' : 'test';
  const split = await prepareSplit(plan.data.splits.find((s) => s.name === splitName)!);
  const byClass: number[][] = Array.from({ length: plan.classes }, () => []);
  split.dataset.labels.forEach((l, i) => byClass[l]!.length < perClass && byClass[l]!.push(i));
  const use: number[][] = Array.from({ length: plan.classes }, () =>
    new Array<number>(model.pool!.keys.shape[0]).fill(0),
  );
  let topSim = 0;
  let n = 0;
  for (const members of byClass) {
    const batch = await loadBatch(split.dataset, Int32Array.from(members), split.transforms, {
      seed: 0,
      keys: ['analysis'],
    });
    const { indices, sims } = tf.tidy(() => {
      const sel = selectFromPool(model.pool!, forwardQuery(model, tf.tensor4d(batch.images, [...batch.shape])));
      return { indices: sel.indices.arraySync() as number[][], sims: sel.selectedSimilarity.arraySync() as number[][] };
    });
    indices.forEach((row, i) => row.forEach((j) => use[batch.labels[i]!]![j]!++));
    sims.forEach((row) => ((topSim += row[0]!), n++));
  }
  const used = use.map((row) =>
    row
      .map((c, j) => [j, c] as const)
      .filter(([, c]) => c > 0)
      .sort((a, b) => b[1] - a[1]),
  );
  const entries = new Set(used.flatMap((row) => row.map(([j]) => j)));
  console.log(
    `  ${split.name} (${perClass}/class): mean cos(query, best key) ${(topSim / n).toFixed(3)}; ${entries.size} of ${model.pool!.keys.shape[0]} entries ever selected`,
  );
  used.forEach((row, c) =>
    console.log(
      `    class ${c}: ${row
        .slice(0, 4)
        .map(([j, k]) => `#${j} x${k}`)
        .join(', ')}${row.length > 4 ? ` (+${row.length - 4} more)` : ''}`,
    ),
  );
  tf.dispose([initKeys, keys, headOne, headEnd]);
}
