/**
 * `lpt export RUN_DIR [--variant NAME] [--seed N] [--phase NAME|N] --out DIR`: one plan of a run
 * as files other tools load (runtime/export/export_run.ts; docs/RUN_DIRECTORY.md, "Exporting a
 * run"). Exit 0 on success, 1 for a run, variant or phase that cannot be exported, 2 for bad usage.
 */
import { resolve } from 'node:path';
import { exportRun } from '../../runtime/export/export_run.ts';
import { ExitCode, UsageError, parseCommandArgs, requiredOption, seedOption, type Command } from './command.ts';

const usage = `usage: lpt export RUN_DIR [--variant NAME] [--seed N] [--phase NAME|N] --out DIR

Writes one variant of a finished or stopped run as files that PyTorch code loads: the trained
tensors in the LPT authors' names (weights/trained.safetensors), each frozen backbone in timm's
names (weights/<backbone>.safetensors), every split of the plan as a split_list file
(splits/<split>.txt) with its images as PNG files when the source is not image files, the class
names (classes.txt) and manifest.json (run, variant, seed, phase, plan hash, each file's sha256).
DIR is written completely or not at all. Layout: docs/RUN_DIRECTORY.md, "Exporting a run".

options:
  --out DIR          the folder to create (required; must not exist)
  --variant NAME     the row to export, as results.json names it (needed when the run holds several)
  --seed N           the seed of that row (for rows run with --seeds)
  --phase NAME|N     the newest checkpoint of this phase (name, or 1-based position) instead of
                     the newest of the run, e.g. --phase 1 for LPT's phase-1 state
  -h, --help         this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string' },
      variant: { type: 'string' },
      seed: { type: 'string' },
      phase: { type: 'string' },
    });
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0 ? 'no RUN_DIR given.' : `expected one RUN_DIR, got ${positionals.length}.`,
      );
    const out = requiredOption(values.out, '--out');
    const seed = seedOption(values.seed);
    const manifest = await exportRun({
      runDir: resolve(io.cwd, positionals[0]!),
      out: resolve(io.cwd, out),
      ...(values.variant === undefined ? {} : { variant: values.variant }),
      ...(seed === undefined ? {} : { seed }),
      ...(values.phase === undefined ? {} : { phase: values.phase }),
      warn: (message) => io.stderr(`lpt export: warning: ${message}`),
    });
    const state = manifest.phaseFinished ? 'finished' : 'stopped inside it';
    io.stdout(
      `wrote ${out}: ${manifest.variant} (seed ${manifest.seed}), phase ${manifest.phase} (${state}; ` +
        `from ${manifest.checkpoint}), ${manifest.splits.map((s) => `${s.name} ${s.images}`).join(', ')} images`,
    );
    return ExitCode.ok;
  },
};
