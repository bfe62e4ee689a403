/**
 * `lpt run FILE`: compile, then train and evaluate every plan of the file (the experiment and its
 * ablation variants) into one run directory; `--resume RUN_DIR` continues a stopped or killed run
 * from its last checkpoint. Live progress: an Ink UI on a terminal, plain lines otherwise, JSON
 * lines with --json. Ctrl-C (or q in the UI) stops after the current step with a checkpoint.
 */
import { join, resolve } from 'node:path';
import { compile } from '../../compiler/compile.ts';
import type { Plan } from '../../plan/plan.ts';
import { initBackend } from '../../runtime/backend/init.ts';
import type { RuntimeSettings } from '../../runtime/settings.ts';
import { runtimeSettingsFromEnv } from '../runtimeSettings.ts';
import { missingInputs } from '../../runtime/run/preflight.ts';
import { resumeExperiment, runExperiment, type ExperimentOutcome } from '../../runtime/run/run_experiment.ts';
import { openRunDirectory, timestamp } from '../../runtime/run/run_directory.ts';
import { nodeCompilerHost } from '../compilerHost.ts';
import { createEventLog, teeSinks } from '../render/eventLog.ts';
import { createJsonSink } from '../render/json.ts';
import { createPlainSink } from '../render/plain.ts';
import { ExitCode, UsageError, parseCommandArgs, type Command, type CommandIO } from './command.ts';
import { countLine, exitCodeFor, formatAll } from './printDiagnostics.ts';
import { isUserError } from './userErrors.ts';
import { watchRun } from './watchRun.ts';

const usage = `usage: lpt run FILE [--variant NAME] [--out DIR] [--backend B] [--json]
       lpt run --resume RUN_DIR [--backend B] [--json]

Trains and evaluates every plan of FILE (the experiment, then each ablation variant) and writes
one run directory, runs/EXPERIMENT/TIMESTAMP/ (plans, events.jsonl, results.json, per_class.csv,
checkpoints). Ctrl-C (or q) stops after the current step and writes a checkpoint.

options:
  --variant NAME   run only this variant ("VPT", "ABLATION/VPT", or the experiment's own name)
  --out DIR        put the run directory under DIR instead of runs/ (DIR/EXPERIMENT/TIMESTAMP)
  --resume DIR     continue the run in DIR from its last checkpoint
  --backend B      auto | node-gpu | node | wasm | cpu (default: the plan's, else auto)
  --json           print every run event as one JSON object per line
  -h, --help       this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parse(args);
    if (values.resume !== undefined ? positionals.length > 0 : positionals.length !== 1) {
      throw new UsageError(values.resume !== undefined ? '--resume takes the run directory instead of a file.' : 'give one .lpt file.');
    }
    try {
      const start = values.resume !== undefined ? resumeStart(resolve(io.cwd, values.resume)) : compileStart(positionals[0]!, values, io);
      if (typeof start === 'number') return start;
      const missing = start.plans.flatMap(missingInputs);
      if (missing.length > 0) {
        io.stderr(`lpt run: cannot start, files are missing:\n${[...new Set(missing)].map((m) => `  ${m}`).join('\n')}`);
        return ExitCode.inputErrors;
      }
      const backendName = values.backend ?? planBackend(start.plans[0]!);
      const settings = runtimeSettingsFromEnv();
      const backend = await initBackend({ preference: backendName, source: values.backend ? '--backend' : 'the plan', kernels: settings.speed });
      await execute(start, { name: backend.name, reason: backend.reason }, settings, values.json === true, io);
      return ExitCode.ok;
    } catch (e) {
      if (!isUserError(e)) throw e;
      io.stderr(`lpt run: ${e.message}`);
      return ExitCode.inputErrors;
    }
  },
};

interface Start {
  readonly plans: readonly Plan[];
  readonly runDir: string;
  readonly resume: boolean;
}

function compileStart(file: string, values: { variant?: string; out?: string }, io: CommandIO): Start | number {
  const result = compile(resolve(io.cwd, file), nodeCompilerHost(io.cwd));
  const lines = formatAll(result.diagnostics, result.sources, io.cwd);
  if (lines.length > 0) io.stderr(`${lines.join('\n\n')}\n${countLine(result.diagnostics, 1)}`);
  const code = exitCodeFor(result.diagnostics);
  if (code !== ExitCode.ok) return code;
  const plans = values.variant === undefined ? result.plans : result.plans.filter((p) => matchesVariant(p, values.variant!));
  if (plans.length === 0) {
    const known = result.plans.map((p) => p.variant?.name ?? p.experiment).join(', ');
    io.stderr(`lpt run: ${file} has no ${values.variant === undefined ? 'experiment' : `variant '${values.variant}' (it has: ${known})`}.`);
    return ExitCode.inputErrors;
  }
  const first = plans[0]!;
  const runDir = resolve(io.cwd, values.out ?? first.out, first.experiment, timestamp());
  return { plans, runDir, resume: false };
}

function resumeStart(runDir: string): Start {
  return { plans: openRunDirectory(runDir).plans, runDir, resume: true };
}

function matchesVariant(plan: Plan, wanted: string): boolean {
  if (plan.variant === null) return plan.experiment === wanted;
  return plan.variant.name === wanted || `${plan.variant.ablation}/${plan.variant.name}` === wanted || plan.name === wanted;
}

function planBackend(plan: Plan): string {
  return plan.backend === 'node_gpu' ? 'node-gpu' : plan.backend;
}

async function execute(start: Start, backend: { name: string; reason: string }, settings: RuntimeSettings, json: boolean, io: CommandIO): Promise<ExperimentOutcome> {
  // `lpt run ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  const log = createEventLog(join(start.runDir, 'events.jsonl'));
  const options = { runDir: start.runDir, backend, settings };
  try {
    if (json) return await withSigint((shouldStop) => go(teeSinks(log.sink, createJsonSink(process.stdout)), shouldStop));
    if (io.isTTY) return await watchRun(log.sink, (emit, shouldStop) => go(emit, shouldStop));
    return await withSigint((shouldStop) => go(teeSinks(log.sink, createPlainSink(process.stdout)), shouldStop));
  } finally {
    log.close();
  }

  function go(emit: Parameters<typeof runExperiment>[1]['emit'], shouldStop: () => boolean): Promise<ExperimentOutcome> {
    const o = { ...options, emit, shouldStop };
    return start.resume ? resumeExperiment(o) : runExperiment(start.plans, o);
  }
}

/** Ctrl-C asks for a graceful stop; a second one exits at once. */
async function withSigint<T>(body: (shouldStop: () => boolean) => Promise<T>): Promise<T> {
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write('\nStopping after the current step (Ctrl-C again to quit now)...\n');
  };
  process.on('SIGINT', onSigint);
  try {
    return await body(() => stop);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const options = {
        variant: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean' },
      } as const;

function parse(args: readonly string[]) {
  return parseCommandArgs(args, options);
}
