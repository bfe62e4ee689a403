/**
 * Starting a plan from an export: the export's trained tensors, renamed back to the plan's
 * checkpoint names, written as a checkpoint at the end of the plan's last phase. `runPlan` then
 * resumes past every phase and evaluates, so a plan that reads an export's splits and backbones
 * (docs/RUN_DIRECTORY.md, "Exporting a run") gives the exported run's accuracy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { namesEachExpert } from '../build/ensemble.ts';
import { storeCheckpoint } from '../store/checkpoint_store.ts';
import { encodeSafetensors, parseSafetensors } from '../weights/safetensors.ts';
import type { NamedTensors } from '../weights/tensor.ts';
import { TRAINED_FILE } from './export_files.ts';
import { checkpointName } from './trained_names.ts';

/** Writes the checkpoint into `checkpointDir`; returns its path. */
export function checkpointFromExport(exportDir: string, plan: Plan, checkpointDir: string): string {
  const file = join(exportDir, TRAINED_FILE);
  const { tensors } = parseSafetensors(readFileSync(file), file);
  const prefixed = namesEachExpert(plan.modules);
  const modules: NamedTensors = new Map(
    [...tensors].map(([name, tensor]) => [`module:${checkpointName(name, prefixed)}`, tensor]),
  );
  const last = plan.phases.at(-1);
  const phases = plan.phases.map((p) => p.name);
  const position = {
    phaseIndex: phases.length,
    phase: last?.name ?? '',
    epoch: last?.epochs ?? 0,
    step: 0,
    finished: phases,
  };
  return storeCheckpoint(
    checkpointDir,
    plan.hash,
    position,
    0,
    encodeSafetensors(modules, file, { planHash: plan.hash }),
    1,
  );
}
