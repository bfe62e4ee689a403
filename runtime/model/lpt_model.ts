/**
 * An LPT / LPT++ expert: a frozen backbone plus the modules that train (shared prompt, group
 * prompt pool with keys, adapters, head). Two passes per image, as in LPT:
 *   query pass:    shared prompts (and adapters), no pool  -> q(x) [B, D]
 *   prompted pass: shared prompts in every prompted block, plus the selected group prompts
 *                  appended after them in the pool's blocks   -> f(x) [B, D]
 * The query must carry no gradient: compute it with forwardQuery outside the loss function
 * (tfjs has no stop_gradient; a tensor made outside optimizer.minimize's closure is a constant).
 * Freezing is data: backbone variables are non-trainable, and trainableVariables returns only
 * the named modules' variables.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type AdapterSet, adapterBranches, adapterVariables } from './adapter.ts';
import { applyHead, type Head, headTrainables } from './head.ts';
import { type PoolSelection, type PromptPool, poolBlockTokens, selectFromPool } from './prompt_pool.ts';
import { type SharedPrompt, sharedBlockTokens } from './prompt.ts';
import { concatBlockTokens } from './tokens.ts';
import { disposeVit, finishFeatures, type ForwardHooks, forwardBlocks, forwardFeatures, type Vit } from './vit.ts';

export interface LptModel {
  readonly backbone: Vit;
  readonly shared: SharedPrompt | null;
  readonly pool: PromptPool | null;
  readonly adapters: AdapterSet | null;
  readonly head: Head | null;
}

export type ModuleName = 'shared' | 'pool' | 'keys' | 'adapters' | 'head';
export const MODULE_NAMES: readonly ModuleName[] = ['shared', 'pool', 'keys', 'adapters', 'head'];

export interface PromptedOutput {
  readonly features: tf.Tensor2D; // [B, D]
  readonly selection: PoolSelection | null;
}

/** The shared prompts and adapters, for a pass over blocks `from` to `to` - 1 (the others get no tokens). */
function baseHooks(
  model: LptModel,
  batch: number,
  from = 0,
  to = model.backbone.config.depth,
): { blockTokens: Array<tf.Tensor | null>; parallel: ForwardHooks['parallel'] } {
  return {
    blockTokens: model.shared === null ? [] : sharedBlockTokens(model.shared, to, batch, from),
    parallel: model.adapters === null ? undefined : adapterBranches(model.adapters),
  };
}

/** x [B, C, S, S] -> q(x) [B, D]: shared prompts and adapters, no pool. */
export function forwardQuery(model: LptModel, x: tf.Tensor): tf.Tensor2D {
  return forwardFeatures(model.backbone, x, baseHooks(model, x.shape[0] as number));
}

/**
 * The prompted pass's hooks over blocks `from` to the end: the shared prompts and adapters, with
 * the group prompts the query selects from the pool appended in the pool's blocks.
 */
function promptedHooks(
  model: LptModel,
  pool: PromptPool,
  query: tf.Tensor,
  batch: number,
  from = 0,
): { hooks: ForwardHooks; selection: PoolSelection } {
  const base = baseHooks(model, batch, from);
  const selection = selectFromPool(pool, query);
  const groupTokens = poolBlockTokens(pool, selection, model.backbone.config.depth);
  return { hooks: { ...base, blockTokens: concatBlockTokens(base.blockTokens, groupTokens) }, selection };
}

/** x [B, C, S, S], query [B, D] (required when the model has a pool) -> features and selection. */
export function forwardPrompted(model: LptModel, x: tf.Tensor, query: tf.Tensor | null = null): PromptedOutput {
  const batch = x.shape[0] as number;
  if (model.pool === null)
    return { features: forwardFeatures(model.backbone, x, baseHooks(model, batch)), selection: null };
  if (query === null)
    throw new Error('forwardPrompted: a model with a prompt pool needs the query q(x) from forwardQuery');
  const { hooks, selection } = promptedHooks(model, model.pool, query, batch);
  return { features: forwardFeatures(model.backbone, x, hooks), selection };
}

/**
 * The blocks both passes run alike: those before the pool's first block, when the model has a
 * pool and its paths say 'reuse'. Exact only if nothing in them trains: the caller decides that
 * (the training step checks its trainable variables; prediction always qualifies).
 */
export function sharedPrefixBlocks(model: LptModel): number {
  if (model.pool === null || model.backbone.paths.prefix !== 'reuse') return 0;
  return Math.min(...model.pool.layers);
}

/** The tokens leaving the shared prefix blocks, and how many blocks that is. */
export interface Prefix {
  readonly tokens: tf.Tensor; // [B, N, D]
  readonly blocks: number;
}

/** x [B, C, S, S] -> the output of the first `blocks` blocks, with the shared prompts and adapters. */
export function forwardPrefix(model: LptModel, x: tf.Tensor, blocks: number): Prefix {
  return {
    tokens: forwardBlocks(model.backbone, x, blocks, baseHooks(model, x.shape[0] as number, 0, blocks)),
    blocks,
  };
}

/** The query pass continued from a prefix: q(x) [B, D]. */
export function queryFromPrefix(model: LptModel, prefix: Prefix): tf.Tensor2D {
  return finishFeatures(
    model.backbone,
    prefix.tokens,
    prefix.blocks,
    baseHooks(model, prefix.tokens.shape[0] as number, prefix.blocks),
    true,
  );
}

/** The prompted pass continued from a prefix (which must end before the pool's first block). */
export function promptedFromPrefix(model: LptModel, prefix: Prefix, query: tf.Tensor): PromptedOutput {
  if (model.pool === null) throw new Error('promptedFromPrefix: the model has no prompt pool');
  const batch = prefix.tokens.shape[0] as number;
  const { hooks, selection } = promptedHooks(model, model.pool, query, batch, prefix.blocks);
  // Nothing in the prefix trains (sharedPrefixBlocks): its tokens get no gradient.
  return { features: finishFeatures(model.backbone, prefix.tokens, prefix.blocks, hooks, true), selection };
}

/** Inference: query pass, then prompted pass, then the head: logits [B, C]. */
export function predictLogits(model: LptModel, x: tf.Tensor): tf.Tensor2D {
  if (model.head === null) throw new Error('predictLogits: the model has no head');
  const head = model.head;
  return tf.tidy(() => {
    const query = model.pool === null ? null : forwardQuery(model, x);
    return applyHead(head, forwardPrompted(model, x, query).features, false);
  });
}

/** The variables of the named modules (default: all of them); never a backbone variable. */
export function trainableVariables(model: LptModel, modules: readonly ModuleName[] = MODULE_NAMES): tf.Variable[] {
  const pick: Record<ModuleName, () => tf.Variable[]> = {
    shared: () => (model.shared === null ? [] : [model.shared.prompts]),
    pool: () => (model.pool === null ? [] : [model.pool.prompts]),
    keys: () => (model.pool === null ? [] : [model.pool.keys]),
    adapters: () => (model.adapters === null ? [] : adapterVariables(model.adapters)),
    head: () => (model.head === null ? [] : headTrainables(model.head)),
  };
  return modules.flatMap((m) => pick[m]());
}

/**
 * Stable names for checkpoints. Layouts: shared.prompts [nLayers, L, D], pool.prompts
 * [m, nLayers, L, D], pool.keys [m, D], adapters.{block}.down.weight [D, r] (in, out),
 * .down.bias [r], .up.weight [r, D], .up.bias [D], head.weight [D, C], head.bias [C],
 * head.projection [D, E] (a text head whose embed_dim differs). Frozen text-head weights are
 * named too: they are part of the expert.
 */
export function namedTrainables(model: LptModel): Map<string, tf.Variable> {
  const named = new Map<string, tf.Variable>();
  if (model.shared !== null) named.set('shared.prompts', model.shared.prompts);
  if (model.pool !== null) {
    named.set('pool.prompts', model.pool.prompts);
    named.set('pool.keys', model.pool.keys);
  }
  model.adapters?.adapters.forEach((a, i) => {
    if (a === null) return;
    named.set(`adapters.${i}.down.weight`, a.downWeight);
    named.set(`adapters.${i}.down.bias`, a.downBias);
    named.set(`adapters.${i}.up.weight`, a.upWeight);
    named.set(`adapters.${i}.up.bias`, a.upBias);
  });
  if (model.head !== null) {
    named.set('head.weight', model.head.weight);
    if (model.head.bias !== null) named.set('head.bias', model.head.bias);
    if (model.head.projection !== null) named.set('head.projection', model.head.projection);
  }
  return named;
}

export function trainableParameterCount(model: LptModel, modules?: readonly ModuleName[]): number {
  return trainableVariables(model, modules).reduce((n, v) => n + v.size, 0);
}

/** Disposes the modules and, unless `keepBackbone`, the backbone (shared between experts). */
export function disposeLptModel(model: LptModel, keepBackbone = false): void {
  tf.dispose([...namedTrainables(model).values()]);
  if (!keepBackbone) disposeVit(model.backbone);
}
