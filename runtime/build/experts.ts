/**
 * Building an expert's model from the plan: the frozen backbone (weights loaded through the
 * naming scheme the plan names, or random when the plan has none) and its trainable modules.
 * The plan numbers layers from 1; the model from 0.
 *
 * Which modules take part in a phase's forward pass is decided by `activeView`: a prompt, pool or
 * adapter joins once it is trained, i.e. in the phase that trains it and every later phase. So
 * LPT's phase 1 runs without the (not yet trained) group prompts, and a variant that drops
 * phase 2 evaluates the shared-prompt model, as the papers' ablations do.
 */
import { resolveModelPaths } from '../model/kernels/paths.ts';
import type { ModelPaths } from '../model/speed.ts';
import type { Plan, PlanBackbone, PlanExpert, PlanHead } from '../../plan/plan.ts';
import { createAdapters } from '../model/adapter.ts';
import { createVit } from '../model/create_vit.ts';
import { frozenLinearOutFeatures } from '../model/frozen_linear.ts';
import { createHead, type Head, type ProjectionConfig } from '../model/head.ts';
import { initVitRandom } from '../model/init.ts';
import type { LptModel, ModuleName } from '../model/lpt_model.ts';
import { createSharedPrompt } from '../model/prompt.ts';
import { createPromptPool } from '../model/prompt_pool.ts';
import { type Vit, withPaths } from '../model/vit.ts';
import { makeVitConfig, type VitConfig } from '../model/vit_config.ts';
import { UserError } from '../errors.ts';
import { WeightsError } from '../weights/errors.ts';
import { loadBackboneWeights } from '../weights/load.ts';
import { textHeadInit } from './text_head.ts';
import { textHeadScale } from '../text/logit_scale.ts';

const zeroBased = (layers: readonly number[]) => layers.map((l) => l - 1);

/** The architecture the plan declares for backbone `b`. */
export function planVitConfig(b: PlanBackbone): VitConfig {
  return makeVitConfig({
    imageSize: b.image,
    patchSize: b.patch,
    dim: b.dim,
    depth: b.depth,
    heads: b.heads,
    channels: b.channels,
    mlpDim: Math.round(b.mlpRatio * b.dim),
    layerNormEps: b.eps,
    activation: b.act,
  });
}

/** The frozen backbone: from the weights file, checked against the plan's architecture. */
export function buildBackbone(
  b: PlanBackbone,
  seed: number,
  warn: (message: string) => void,
  paths: ModelPaths = resolveModelPaths(),
): Vit {
  const expected = planVitConfig(b);
  if (b.weights === null) {
    warn(`backbone '${b.name}' has no weights: it is randomly initialised (seed ${seed}), so results mean little`);
    return withPaths(initVitRandom(expected, seed), paths);
  }
  const loaded = loadBackboneWeights(b.weights.path, {
    naming: b.weights.naming,
    format: b.weights.format,
    heads: b.heads,
  });
  const arch = loaded.config;
  const mismatches = (['dim', 'depth', 'patchSize', 'channels'] as const).filter((k) => arch[k] !== expected[k]);
  if (mismatches.length > 0) {
    const what = mismatches.map((k) => `${k} ${arch[k]} (the plan says ${expected[k]})`).join(', ');
    throw new WeightsError('shape', b.weights.path, `the weights do not match backbone '${b.name}': ${what}`);
  }
  // The plan's image size wins: the position embedding is resampled when the grid differs.
  const config: VitConfig = { ...arch, imageSize: expected.imageSize, heads: expected.heads };
  return createVit(config, loaded.tensors, { source: b.weights.path, onNote: warn, paths });
}

/** The module names of the plan that fill each slot of the expert's model. */
export interface ExpertSlots {
  readonly shared: string | null;
  readonly pool: string | null;
  /** Whether training the pool trains its keys ('learned' keys) or leaves them fixed. */
  readonly poolKeysLearned: boolean;
  readonly adapters: string | null;
  readonly head: string;
}

export function expertSlots(plan: Plan, expert: PlanExpert): ExpertSlots {
  for (const [kind, names] of [
    ['prompts', expert.prompts],
    ['pools', expert.pools],
    ['adapters', expert.adapters],
  ] as const) {
    if (names.length > 1) throw new Error(`expert '${expert.name}' has ${names.length} ${kind}; supports() refuses it`);
  }
  const pool = expert.pools[0] ?? null;
  const keys = plan.modules.pools.find((p) => p.name === pool)?.keys ?? 'learned';
  return {
    shared: expert.prompts[0] ?? null,
    pool,
    poolKeysLearned: keys === 'learned',
    adapters: expert.adapters[0] ?? null,
    head: expert.head,
  };
}

export function buildExpert(plan: Plan, expert: PlanExpert, backbone: Vit, seed: number): LptModel {
  const { dim, depth } = backbone.config;
  const slots = expertSlots(plan, expert);
  const find = <T extends { readonly name: string }>(list: readonly T[], name: string | null): T | null =>
    name === null ? null : (list.find((m) => m.name === name) ?? null);
  const prompt = find(plan.modules.prompts, slots.shared);
  const pool = find(plan.modules.pools, slots.pool);
  const adapter = find(plan.modules.adapters, slots.adapters);
  const head = find(plan.modules.heads, slots.head);
  // supports() refuses a missing head and a pool queried by another prompt.
  if (head === null) throw new Error(`expert '${expert.name}' names no head the plan defines`);
  if (pool !== null && pool.query !== null && pool.query !== slots.shared)
    throw new Error(`pool '${pool.name}': the query is not the expert's own shared prompt`);
  return {
    backbone,
    shared:
      prompt &&
      createSharedPrompt(
        dim,
        depth,
        { length: prompt.length, layers: zeroBased(prompt.layers), initStd: prompt.initStd },
        seed + 1,
      ),
    pool:
      pool &&
      createPromptPool(
        dim,
        depth,
        {
          size: pool.size,
          length: pool.length,
          layers: zeroBased(pool.layers),
          topK: pool.top,
          combine: pool.combine,
          initStd: pool.initStd,
          keyInit: pool.keyInit,
        },
        seed + 2,
      ),
    adapters:
      adapter &&
      createAdapters(
        dim,
        depth,
        { bottleneck: adapter.bottleneck, scale: adapter.scale, layers: zeroBased(adapter.layers) },
        seed + 3,
      ),
    head: buildHead(head, backbone, seed + 4, plan.out),
  };
}

function buildHead(head: PlanHead, backbone: Vit, seed: number, outDir: string): Head {
  const dim = backbone.config.dim;
  if (head.kind === 'linear')
    return createHead(
      dim,
      { kind: 'linear', classes: head.classes, dropout: head.dropout, randomInit: head.init },
      seed,
    );
  if (head.kind === 'cosine')
    return createHead(
      dim,
      { kind: 'cosine', classes: head.classes, dropout: head.dropout, scale: head.scale, randomInit: head.init },
      seed,
    );
  const init = textHeadInit(head, outDir);
  try {
    return createHead(
      dim,
      {
        kind: 'cosine',
        classes: head.classes,
        dropout: head.dropout,
        scale: textHeadScale(head),
        init,
        frozen: !head.tune,
        ...(head.projection === 'none' ? {} : { projection: textHeadProjection(head, backbone) }),
      },
      seed,
    );
  } finally {
    init.dispose();
  }
}

/** The text head's projection: the backbone's own (CLIP's visual.proj), frozen or tuned, or a new one. */
function textHeadProjection(head: Extract<PlanHead, { kind: 'text' }>, backbone: Vit): ProjectionConfig {
  if (head.projection === 'random') return { width: head.embedDim };
  const own = backbone.projection;
  if (own === null || frozenLinearOutFeatures(own) !== head.embedDim) {
    const has = own === null ? 'has no projection' : `projects to ${frozenLinearOutFeatures(own)}`;
    throw new UserError(
      `text head '${head.name}' classifies the backbone's projected feature (projection: ${head.projection}, embed_dim ${head.embedDim}), but its backbone ${has}; write projection: random for a new trainable one`,
    );
  }
  return { width: head.embedDim, init: own.weightIO, frozen: head.projection === 'frozen' };
}

/** The model's module slots that a plan module name trains (a pool trains its prompts and keys). */
export function slotsOf(slots: ExpertSlots, planModule: string): ModuleName[] {
  if (planModule === slots.shared) return ['shared'];
  if (planModule === slots.pool) return slots.poolKeysLearned ? ['pool', 'keys'] : ['pool'];
  if (planModule === slots.adapters) return ['adapters'];
  if (planModule === slots.head) return ['head'];
  return [];
}

/** The model as a phase sees it: modules not trained so far (nor now) are left out of the forward pass. */
export function activeView(model: LptModel, slots: ExpertSlots, trained: ReadonlySet<string>): LptModel {
  const on = (name: string | null) => name !== null && trained.has(name);
  return {
    ...model,
    shared: on(slots.shared) ? model.shared : null,
    pool: on(slots.pool) ? model.pool : null,
    adapters: on(slots.adapters) ? model.adapters : null,
  };
}
