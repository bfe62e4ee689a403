/**
 * `lpt export`: one plan of a run directory as files other tools load (docs/RUN_DIRECTORY.md,
 * "Exporting a run"): the trained tensors in the LPT authors' names, the backbones in timm's, the
 * splits as split_list files with their images, the class names and a manifest with every file's
 * sha256. Everything is written into a temporary folder beside the target and renamed into place
 * at the end, so the target is complete or absent.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { checkpointDir, openRunDirectory } from '../store/run_directory.ts';
import { writeSafetensors } from '../weights/safetensors.ts';
import { choosePlan, type PlanChoice } from './choose_plan.ts';
import { CLASSES_FILE, MANIFEST_FILE, TRAINED_FILE } from './export_files.ts';
import { exportBackbones, type ExportedBackbone } from './export_backbones.ts';
import { ExportError } from './export_error.ts';
import { exportSplits, type ExportedSplit } from './export_splits.ts';
import { trainedMetadata, trainedState } from './trained_state.ts';

export interface ExportOptions extends PlanChoice {
  readonly runDir: string;
  readonly out: string;
  /** A phase name or 1-based position; absent: the newest checkpoint. */
  readonly phase?: string;
  readonly warn?: (message: string) => void;
}

export interface ExportManifest {
  readonly format: 'lpt-export';
  readonly version: 1;
  readonly run: string;
  readonly experiment: string;
  readonly variant: string;
  readonly seed: number;
  readonly planHash: string;
  readonly phase: string;
  readonly phaseFinished: boolean;
  readonly phasesTrained: readonly string[];
  readonly checkpoint: string;
  readonly backbones: readonly ExportedBackbone[];
  readonly trained: string;
  readonly classes: string;
  readonly splits: readonly ExportedSplit[];
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly sha256: string }[];
}

export async function exportRun(options: ExportOptions): Promise<ExportManifest> {
  const runDir = resolve(options.runDir);
  const out = resolve(options.out);
  if (!existsSync(runDir)) throw new ExportError(`${options.runDir}: no such run directory`);
  if (existsSync(out)) throw new ExportError(`${options.out}: already exists; give --out a new folder`);
  const { plans, index } = openRunDirectory(runDir, true);
  const plan = choosePlan(options.runDir, plans, options);
  const variant = index.variants.find((v) => v.planHash === plan.hash)?.name ?? plan.name;
  const state = trainedState(plan, checkpointDir(runDir, plan), options.warn ?? (() => {}), options.phase);

  mkdirSync(dirname(out), { recursive: true });
  const temp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  rmSync(temp, { recursive: true, force: true });
  try {
    mkdirSync(join(temp, 'splits'), { recursive: true });
    writeSafetensors(join(temp, TRAINED_FILE), state.tensors, trainedMetadata(plan, state));
    const backbones = exportBackbones(plan, temp);
    const { splits, classNames } = await exportSplits(plan.data.splits, temp);
    writeFileSync(join(temp, CLASSES_FILE), `${classNames.join('\n')}\n`);
    const manifest: ExportManifest = {
      format: 'lpt-export',
      version: 1,
      run: runDir,
      experiment: plan.experiment,
      variant,
      seed: plan.seed,
      planHash: plan.hash,
      phase: state.phase,
      phaseFinished: state.phaseFinished,
      phasesTrained: state.phasesTrained,
      checkpoint: state.checkpoint.file,
      backbones,
      trained: TRAINED_FILE,
      classes: CLASSES_FILE,
      splits,
      files: listFiles(temp).map((path) => {
        const bytes = readFileSync(join(temp, path));
        return { path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
      }),
    };
    writeFileSync(join(temp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(temp, out);
    return manifest;
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Every file under `dir`, relative to it, in sorted order. */
function listFiles(dir: string, under = dir): string[] {
  return readdirSync(under, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, join(under, e.name)) : [relative(dir, join(under, e.name))]));
}
