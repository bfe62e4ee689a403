/**
 * What a run trained, as an export holds it: the newest retained checkpoint (of one phase when
 * asked), without the modules that only a later phase trains, under the export's names
 * (trained_names.ts). A phase-1 checkpoint also holds the pool as initialised; that is left out,
 * so a phase-1 export is what the authors' phase-2 script loads as `phase1.pth`.
 */
import type { Plan } from '../../plan/plan.ts';
import { namesEachExpert } from '../build/ensemble.ts';
import type { CheckpointEntry } from '../store/checkpoint_store.ts';
import { listCheckpoints, loadCheckpoint } from '../store/checkpoint_store.ts';
import type { FloatTensors } from '../weights/tensor.ts';
import { ExportError } from './export_error.ts';
import { exportedName, planModuleOf } from './trained_names.ts';

export interface TrainedState {
  readonly checkpoint: CheckpointEntry;
  /** The phase the checkpoint belongs to, and whether it had finished there. */
  readonly phase: string;
  readonly phaseFinished: boolean;
  /** Phases whose training the tensors hold (finished ones, and the exported one when it stopped inside it). */
  readonly phasesTrained: readonly string[];
  /** Export names -> tensors, in checkpoint order. */
  readonly tensors: FloatTensors;
}

/** `phase`: a phase name or its 1-based position; absent: the newest checkpoint of any phase. */
export function trainedState(
  plan: Plan,
  checkpointDir: string,
  warn: (message: string) => void,
  phase?: string,
): TrainedState {
  const wanted = phase === undefined ? undefined : phaseName(plan, phase);
  const loaded = loadCheckpoint(checkpointDir, plan.hash, warn, wanted);
  if (loaded === null) {
    const retained = [...new Set(listCheckpoints(checkpointDir, plan.hash).map((e) => e.phase))];
    throw new ExportError(
      wanted === undefined
        ? `${checkpointDir}: no checkpoint; the variant has not finished an epoch or been stopped yet`
        : `${checkpointDir}: no checkpoint of phase '${wanted}' is retained (phases with checkpoints: ${retained.join(', ') || 'none'})`,
    );
  }
  const { entry, contents } = loaded;
  const started = entry.epoch > 0 || entry.step > 0;
  const phasesTrained = plan.phases
    .map((p) => p.name)
    .filter((name) => entry.finished.includes(name) || (name === entry.phase && started));
  // Modules a later phase trains are still as initialised; those no phase trains (a frozen text
  // head's class embeddings) are part of the model as it stands.
  const trainedBy = (reached: boolean) =>
    new Set(plan.phases.filter((p) => phasesTrained.includes(p.name) === reached).flatMap((p) => p.trainable));
  const trained = trainedBy(true);
  const untrainedYet = new Set([...trainedBy(false)].filter((m) => !trained.has(m)));
  const tensors: FloatTensors = new Map();
  for (const [name, tensor] of contents.tensors) {
    if (!name.startsWith('module:') || tensor.dtype !== 'float32') continue;
    const local = name.slice('module:'.length);
    if (!untrainedYet.has(planModuleOf(plan, local))) tensors.set(exportedName(local), tensor);
  }
  return {
    checkpoint: entry,
    phase: entry.phase,
    phaseFinished: entry.finished.includes(entry.phase),
    phasesTrained,
    tensors,
  };
}

function phaseName(plan: Plan, phase: string): string {
  const names = plan.phases.map((p) => p.name);
  const byPosition = /^\d+$/.test(phase) ? names[Number(phase) - 1] : undefined;
  const name = byPosition ?? (names.includes(phase) ? phase : undefined);
  if (name === undefined)
    throw new ExportError(
      `--phase ${phase}: the plan has no such phase (its phases: ${names.join(', ')}, or 1-${names.length})`,
    );
  return name;
}

/** Per-expert facts the names cannot show, as safetensors metadata (docs/RUN_DIRECTORY.md). */
export function trainedMetadata(plan: Plan, state: TrainedState): Record<string, string> {
  const prefixed = namesEachExpert(plan.modules);
  const metadata: Record<string, string> = { 'lpt.plan_hash': plan.hash, 'lpt.phase': state.phase };
  const zeroBased = (layers: readonly number[]) => layers.map((l) => l - 1).join(',');
  for (const expert of plan.modules.experts) {
    const key = (name: string) => (prefixed ? `${expert.name}.lpt.${name}` : `lpt.${name}`);
    const prompt = plan.modules.prompts.find((p) => p.name === expert.prompts[0]);
    const pool = plan.modules.pools.find((p) => p.name === expert.pools[0]);
    const head = plan.modules.heads.find((h) => h.name === expert.head);
    if (prompt) {
      metadata[key('prompt_layers')] = zeroBased(prompt.layers);
      metadata[key('prompt_length')] = String(prompt.length);
    }
    if (pool) {
      metadata[key('pool_layers')] = zeroBased(pool.layers);
      metadata[key('pool_top_k')] = String(pool.top);
      metadata[key('pool_combine')] = pool.combine;
    }
    if (head) {
      metadata[key('head_kind')] = head.kind;
      if (head.kind !== 'linear') metadata[key('head_scale')] = String(head.scale);
    }
  }
  return metadata;
}
