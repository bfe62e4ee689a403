/**
 * Checkpoints hold only what training changed: the trainable tensors of every module (by plan
 * module name), the optimiser's slots, and where training stands. The tensors go into one
 * safetensors file, the position into manifest.json with the plan's hash; both are written
 * atomically, the manifest last, so a manifest always points at a complete tensor file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '../io/atomic.ts';
import { namedTrainables, type LptModel } from '../model/lpt_model.ts';
import { readSafetensors, writeSafetensors } from '../weights/safetensors.ts';
import type { NamedTensors } from '../weights/tensor.ts';

export interface CheckpointPosition {
  /** Index of the phase in the plan's phase list. */
  readonly phaseIndex: number;
  readonly phase: string;
  /** The next step to run: (epoch, step) within the phase. A finished phase has epoch = epochs. */
  readonly epoch: number;
  readonly step: number;
  /** Phases finished before this one (their modules are trained). */
  readonly finished: readonly string[];
}

export interface CheckpointManifest extends CheckpointPosition {
  readonly planHash: string;
  readonly optimizerStep: number;
  readonly file: string;
  readonly written: string;
}

export function manifestPath(dir: string): string {
  return join(dir, 'manifest.json');
}

/** Tensors named "module:<plan module>/<tensor>" and "optim:<slot>". */
export async function writeCheckpoint(
  dir: string,
  planHash: string,
  position: CheckpointPosition,
  modules: ReadonlyMap<string, tf.Tensor>,
  optimizer: { readonly step: number; readonly slots: Readonly<Record<string, tf.Tensor>> } | null,
): Promise<string> {
  const tensors: NamedTensors = new Map();
  const add = async (name: string, t: tf.Tensor) => tensors.set(name, { dtype: 'float32', shape: [...t.shape], data: (await t.data()) as Float32Array });
  for (const [name, t] of modules) await add(`module:${name}`, t);
  for (const [name, t] of Object.entries(optimizer?.slots ?? {})) await add(`optim:${name}`, t);
  const file = `${position.phase}-e${position.epoch}-s${position.step}.safetensors`;
  writeSafetensors(join(dir, file), tensors, { planHash });
  const manifest: CheckpointManifest = { ...position, planHash, optimizerStep: optimizer?.step ?? 0, file, written: new Date().toISOString() };
  writeFileAtomic(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`);
  return join(dir, file);
}

export interface LoadedCheckpoint {
  readonly manifest: CheckpointManifest;
  readonly modules: Map<string, tf.Tensor>;
  readonly optimizerSlots: Record<string, tf.Tensor>;
}

export function readCheckpoint(dir: string, planHash: string): LoadedCheckpoint | null {
  if (!existsSync(manifestPath(dir))) return null;
  const manifest = JSON.parse(readFileSync(manifestPath(dir), 'utf8')) as CheckpointManifest;
  if (manifest.planHash !== planHash) {
    throw new Error(`${manifestPath(dir)}: the checkpoint belongs to plan ${manifest.planHash.slice(0, 12)}, not ${planHash.slice(0, 12)}`);
  }
  const modules = new Map<string, tf.Tensor>();
  const optimizerSlots: Record<string, tf.Tensor> = {};
  for (const [name, t] of readSafetensors(join(dir, manifest.file))) {
    const tensor = tf.tensor(t.data as Float32Array, [...t.shape], 'float32');
    if (name.startsWith('module:')) modules.set(name.slice('module:'.length), tensor);
    else if (name.startsWith('optim:')) optimizerSlots[name.slice('optim:'.length)] = tensor;
  }
  return { manifest, modules, optimizerSlots };
}

/** Checkpoint names: the model's stable tensor names; optimiser slots keyed by them too. */
export function stableNames(model: LptModel): { tensors: Map<string, tf.Variable>; byVariable: Map<string, string> } {
  const tensors = namedTrainables(model);
  return { tensors, byVariable: new Map([...tensors].map(([name, v]) => [v.name, name])) };
}

export function renameSlots(slots: Readonly<Record<string, tf.Tensor>>, map: ReadonlyMap<string, string>): Record<string, tf.Tensor> {
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
