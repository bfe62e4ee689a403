/**
 * Checkpoints hold only what training changed: the trainable tensors of every module (by plan
 * module name), the optimiser's slots, and where training stands. The tensors go into one
 * safetensors file per position; checkpoint_store.ts keeps the files, the manifest that lists
 * them, retention and validation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { namedTrainables, type LptModel } from '../model/lpt_model.ts';
import { encodeSafetensors } from '../weights/safetensors.ts';
import type { NamedTensors } from '../weights/tensor.ts';
import {
  defaultKeepCheckpoints,
  loadCheckpoint,
  storeCheckpoint,
  type CheckpointEntry,
  type CheckpointPosition,
} from './checkpoint_store.ts';

export {
  CheckpointError,
  defaultKeepCheckpoints,
  manifestPath,
  type CheckpointEntry,
  type CheckpointPosition,
} from './checkpoint_store.ts';

/** Tensors named "module:<plan module>/<tensor>" and "optim:<slot>"; keeps the newest `keep` of each phase. */
export async function writeCheckpoint(
  dir: string,
  planHash: string,
  position: CheckpointPosition,
  modules: ReadonlyMap<string, tf.Tensor>,
  optimizer: { readonly step: number; readonly slots: Readonly<Record<string, tf.Tensor>> } | null,
  keep = defaultKeepCheckpoints,
): Promise<string> {
  const tensors: NamedTensors = new Map();
  const add = async (name: string, t: tf.Tensor) =>
    tensors.set(name, { dtype: 'float32', shape: [...t.shape], data: (await t.data()) as Float32Array });
  for (const [name, t] of modules) await add(`module:${name}`, t);
  for (const [name, t] of Object.entries(optimizer?.slots ?? {})) await add(`optim:${name}`, t);
  const bytes = encodeSafetensors(tensors, dir, { planHash });
  return storeCheckpoint(dir, planHash, position, optimizer?.step ?? 0, bytes, keep);
}

export interface LoadedCheckpoint {
  readonly manifest: CheckpointEntry;
  readonly modules: Map<string, tf.Tensor>;
  readonly optimizerSlots: Record<string, tf.Tensor>;
}

/**
 * The newest valid checkpoint of `dir` as tensors, or null when there is none. A newest file that
 * fails validation is skipped for the one before it, and `warn` names both.
 */
export function readCheckpoint(
  dir: string,
  planHash: string,
  warn: (message: string) => void = () => {},
): LoadedCheckpoint | null {
  const loaded = loadCheckpoint(dir, planHash, warn);
  if (loaded === null) return null;
  const modules = new Map<string, tf.Tensor>();
  const optimizerSlots: Record<string, tf.Tensor> = {};
  for (const [name, t] of loaded.contents.tensors) {
    const tensor = tf.tensor(t.data as Float32Array, [...t.shape], 'float32');
    if (name.startsWith('module:')) modules.set(name.slice('module:'.length), tensor);
    else if (name.startsWith('optim:')) optimizerSlots[name.slice('optim:'.length)] = tensor;
  }
  return { manifest: loaded.entry, modules, optimizerSlots };
}

/** Checkpoint names: the model's stable tensor names; optimiser slots keyed by them too. */
export function stableNames(model: LptModel): { tensors: Map<string, tf.Variable>; byVariable: Map<string, string> } {
  const tensors = namedTrainables(model);
  return { tensors, byVariable: new Map([...tensors].map(([name, v]) => [v.name, name])) };
}

export function renameSlots(
  slots: Readonly<Record<string, tf.Tensor>>,
  map: ReadonlyMap<string, string>,
): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [key, t] of Object.entries(slots)) {
    const cut = key.lastIndexOf('/');
    const variable = key.slice(0, cut);
    const renamed = map.get(variable);
    if (renamed === undefined) throw new Error(`optimizer slot '${key}' belongs to no known variable`);
    out[`${renamed}${key.slice(cut)}`] = t;
  }
  return out;
}

/** Assigns every saved module tensor to its variable. */
export function restoreModules(tensors: ReadonlyMap<string, tf.Variable>, saved: ReadonlyMap<string, tf.Tensor>): void {
  for (const [name, variable] of tensors) {
    const value = saved.get(name);
    if (value === undefined) throw new Error(`the checkpoint lacks '${name}'`);
    variable.assign(value);
  }
}
