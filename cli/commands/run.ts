/**
 * `lpt run FILE`: compile, then train and evaluate every plan of the file (the experiment and its
 * ablation variants) into one run directory; `--resume RUN_DIR` continues a stopped or killed run
 * from its last checkpoint. Live progress: an Ink UI on a terminal, plain lines otherwise, JSON
 * lines with --json. Ctrl-C, q in the UI, SIGTERM and SIGHUP stop after the current step with a
 * checkpoint (stop_signals.ts). The process holds the run directory's lock while it runs.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { initBackend } from '../../runtime/backend/init.ts';
import { BACKEND_PREFERENCES, planBackendPreference } from '../../runtime/backend/preference.ts';
import type { EventSink } from '../../runtime/events.ts';
import type { StopCheck } from '../../runtime/run/stop_check.ts';
import { runtimeSettingsFromEnv } from '../runtime_settings.ts';
import { imageLoadingFromEnv } from '../../runtime/data/pipeline/image_loading_env.ts';
import { configureImageLoading } from '../../runtime/data/pipeline/loader.ts';
import { planMicroBatches } from '../../runtime/run/micro_batch_choice.ts';
import { missingInputs } from '../../runtime/run/preflight.ts';
import { resumeExperiment, runExperiment, type ExperimentOutcome } from '../../runtime/run/run_experiment.ts';
import { openRunDirectory, reserveRunDirectory, timestamp } from '../../runtime/store/run_directory.ts';
import { acquireRunLock, type RunLock } from '../../runtime/store/run_lock.ts';
import { createEventLog, teeSinks } from '../render/event_log.ts';
import { createJsonSink } from '../render/json.ts';
import { createPlainSink, resumeHint } from '../render/plain.ts';
import {
  ExitCode,
  UsageError,
  parseCommandArgs,
  positiveIntegerOption,
  type Command,
  type CommandIO,
} from './command.ts';
import { commandLineOf, plansFromFile, sweepOptions, sweepUsage } from './plans_from_file.ts';
import { holdStopSignals, stoppedExitCode, withStopSignals, type StopSignal } from './stop_signals.ts';
import { prepareQueuedRun, queueOf } from './queue_run.ts';
import { describeOutcome, isSlurmRun, prepareSlurmRun, reattachHint, type SlurmRun } from './slurm_run.ts';
import { parseSlurmOptions } from '../../runtime/slurm/resources.ts';
import type { SlurmOutcome } from '../../runtime/slurm/follow.ts';
import { loadRun } from './report_runs.ts';
import {
  type Go,
  SMOKE_LIMIT,
  intoSmokeDirectory,
  smokePlans,
  smokeRunDirectory,
  stopOnceAndResume,
} from './smoke_run.ts';
import { standInMissingInputs } from '../../runtime/synthetic/stand_ins.ts';
import { buildResultsTable, labelRuns, toMarkdown } from '../../runtime/report/table.ts';
import { watchRun } from './watch_run.ts';

const usage = `usage: lpt run FILE [--variant NAME] [--set KEY=VALUE]... [--seeds 0,1,2] [--out DIR] [--backend B] [--micro-batch N] [--queue URL] [--json]
       lpt run FILE --slurm [--slurm-option KEY=VALUE]... [--detach] [--variant NAME] [--set KEY=VALUE]... [--seeds 0,1,2] [--out DIR] [--backend B] [--json]
       lpt run FILE --smoke [--synthetic] [--variant NAME] [--set KEY=VALUE]... [--backend B] [--json]
       lpt run --resume RUN_DIR [--backend B] [--micro-batch N] [--queue URL] [--json]

Trains and evaluates every plan of FILE (the experiment, then each ablation variant) and writes
one new run directory, runs/EXPERIMENT/TIMESTAMP/ (plans, events.jsonl, results.json,
per_class.csv, checkpoints; TIMESTAMP_2, ... when runs start in the same second). The process
locks the directory while it runs (run.lock); --resume refuses a directory a live run holds.

Ctrl-C, q, SIGTERM and SIGHUP stop after the current step: a checkpoint is written, the resume
command printed, and the exit status is 128 + the signal's number (130 for Ctrl-C and q, 143 for
SIGTERM, 129 for SIGHUP). A second signal quits at once with that status (the last checkpoint
stays valid).

options:
  --variant NAME   run only this variant ("VPT", "ABLATION/VPT", or the experiment's own name or label)
${sweepUsage}
  --out DIR        put the run directory under DIR instead of runs/ (DIR/EXPERIMENT/TIMESTAMP)
  --resume DIR     continue the run in DIR from its last checkpoint
  --keep-checkpoints N
                   keep the newest N checkpoints of each phase (default 2)
  --backend B      ${BACKEND_PREFERENCES.join(' | ')} (default: the plan's, else auto)
  --micro-batch N  run every phase's batch N images per stream at a time, adding the gradients up
                   before each update (the same update; less memory). Default: the plan's
                   micro_batch, else the largest that the memory estimate fits on the device; a
                   phase that cannot fit one image is refused before the run starts
  --queue URL      put the plans on a BullMQ queue in Redis (redis://[:PASSWORD@]HOST:PORT) for
                   'lpt worker's to run, and follow them here into the same run directory; --resume
                   re-attaches to a queued run (docs/QUEUE.md)
  --slurm          submit the plans to Slurm as one job array (one task per plan, requeued with its
                   checkpoint on preemption) and follow them here; the run directory must be on a
                   filesystem the nodes share; --resume re-attaches (docs/SLURM.md)
  --slurm-option KEY=VALUE
                   a slurm(...) setting (partition, account, time, gpus, cpus, mem, constraint, qos,
                   signal), winning over the file's; any other KEY is passed to sbatch as --KEY=VALUE
  --detach         with --slurm: submit, print how to follow the run, and exit
  --smoke          try every plan before the long run: two optimiser steps per phase at batch 2
                   per stream, two evaluation batches of two images, a stop after the first step
                   and a resume from its checkpoint, in a throwaway run directory under the OS
                   temp folder; ends with the table (whose numbers are no result)
  --synthetic      with --smoke: a random stand-in for each missing input (weights of the declared
                   architecture and naming, images in the declared layout, class names), written
                   in the smoke's folder and announced one per line; the results say synthetic
  --json           print every run event as one JSON object per line
  -h, --help       this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parse(args);
    if (values.resume !== undefined ? positionals.length > 0 : positionals.length !== 1) {
      throw new UsageError(
        values.resume !== undefined ? '--resume takes the run directory instead of a file.' : 'give one .lpt file.',
      );
    }
    if (values.resume !== undefined && (values.set !== undefined || values.seeds !== undefined))
      throw new UsageError('--set and --seeds change the plans of FILE; a resumed run keeps the plans it has.');
    const smoke = values.smoke === true;
    if (
      smoke &&
      (values.resume !== undefined || values.queue !== undefined || values.out !== undefined || values.slurm === true)
    )
      throw new UsageError(
        '--smoke runs FILE here, in a directory of its own: not with --resume, --queue, --slurm or --out.',
      );
    if (values.synthetic === true && !smoke)
      throw new UsageError('--synthetic stands in for missing inputs of a smoke run only: add --smoke.');
    const keepCheckpoints = positiveIntegerOption(values['keep-checkpoints'], '--keep-checkpoints');
    const microBatch = positiveIntegerOption(values['micro-batch'], '--micro-batch');
    const warn = (message: string) => io.stderr(`lpt run: warning: ${message}`);
    let lock: RunLock | undefined;
    try {
      const start =
        values.resume !== undefined
          ? resumeStart(resolve(io.cwd, values.resume), warn)
          : compileStart(positionals[0]!, values, io, smoke);
      if (typeof start === 'number') return start;
      lock = start.lock;
      if (isSlurmRun(values.slurm === true, start.runDir)) {
        if (values.queue !== undefined)
          throw new UsageError('--slurm and --queue are two ways to run elsewhere: give one.');
        // A stop signal while submitting leaves the submitted tasks running, as Ctrl-C while following does.
        // One hold spans submitting and following, so that no Ctrl-C falls between their listeners.
        const hold = holdStopSignals();
        try {
          const slurm = await prepareSlurmRun(start, {
            overrides: parseSlurmOptions(values['slurm-option'] ?? []),
            ...(values.backend !== undefined ? { backend: values.backend } : {}),
            ...(keepCheckpoints !== undefined ? { keepCheckpoints } : {}),
            cwd: io.cwd,
            stderr: io.stderr,
          });
          lock = slurm.lock;
          const stoppedBy = hold.stoppedBy();
          if (values.detach === true || stoppedBy !== null) {
            io.stderr(reattachHint(slurm.runDir));
            return stoppedBy === null ? ExitCode.ok : stoppedExitCode(stoppedBy);
          }
          hold.handOver();
          return await followSlurm(slurm, values.json === true, io);
        } finally {
          hold.release();
        }
      }
      if (values['slurm-option'] !== undefined || values.detach === true)
        throw new UsageError('--slurm-option and --detach go with --slurm.');
      const queue = queueOf(values.queue, start.runDir);
      if (queue !== undefined) {
        // As with --slurm: a stop signal while submitting leaves the jobs on the queue, and one hold
        // spans submitting and following.
        const hold = holdStopSignals();
        try {
          const queued = await prepareQueuedRun(queue, start, keepCheckpoints, io.stderr);
          lock = queued.lock;
          try {
            const stoppedBy = hold.stoppedBy();
            // No view ran to print the resume command: the line goes to stderr as under --json.
            if (stoppedBy !== null)
              return finish({ value: { stopped: true, results: [] }, stoppedBy }, queued.runDir, true, io);
            hold.handOver();
            return finish(
              await execute(queued.runDir, values.json === true, io, queued.go),
              queued.runDir,
              values.json === true,
              io,
            );
          } finally {
            await queued.close();
          }
        } finally {
          hold.release();
        }
      }
      let plans = start.plans;
      let synthetic: readonly string[] | undefined;
      // A smoke run's folder comes first: its caches and synthetic stand-ins live in it.
      const smokeDir = smoke ? smokeRunDirectory(plans[0]!.experiment) : undefined;
      if (smokeDir !== undefined) {
        plans = intoSmokeDirectory(plans, smokeDir);
        if (values.synthetic === true) {
          const standIns = standInMissingInputs(plans, smokeDir);
          for (const line of standIns.lines) io.stderr(`lpt run --smoke: ${line}`);
          plans = standIns.plans;
          synthetic = standIns.lines;
        }
      }
      const missing = plans.flatMap(missingInputs);
      if (missing.length > 0) {
        io.stderr(
          `lpt run: cannot start, files are missing:\n${[...new Set(missing)].map((m) => `  ${m}`).join('\n')}`,
        );
        return ExitCode.inputErrors;
      }
      const backendName = values.backend ?? planBackendPreference(start.plans[0]!);
      const settings = {
        ...runtimeSettingsFromEnv(),
        ...(microBatch !== undefined ? { microBatch } : {}),
      };
      configureImageLoading(imageLoadingFromEnv(process.env));
      const backend = await initBackend({
        preference: backendName,
        source: values.backend ? '--backend' : 'the plan',
        kernels: settings.speed,
        native: settings.native,
        dawnFlags: settings.dawnFlags,
      });
      // The preflight: every phase's micro-batch fits the device, or the run refuses before it starts.
      for (const plan of plans) planMicroBatches(plan, backend.name, settings);
      let runDir = start.runDir;
      if (runDir === undefined) {
        runDir = smokeDir ?? reserveRunDirectory(start.base);
        lock = acquireRunLock(runDir, warn);
      }
      if (smoke)
        io.stderr(
          `lpt run --smoke: ${plans.length} plan(s), ${SMOKE_LIMIT.stepsPerPhase} steps per phase, ${SMOKE_LIMIT.evalBatches} evaluation batches, stopped after the first step and resumed, in ${runDir}\n`,
        );
      const resume = start.runDir !== undefined;
      const options = {
        runDir,
        backend: { name: backend.name, reason: backend.reason },
        settings,
        ...(keepCheckpoints !== undefined ? { keepCheckpoints } : {}),
        ...(smoke ? { limit: SMOKE_LIMIT } : {}),
        ...(synthetic !== undefined && synthetic.length > 0 ? { synthetic } : {}),
      };
      const go: Go = (emit, shouldStop) =>
        resume
          ? resumeExperiment({ ...options, emit, shouldStop })
          : runExperiment(plans, { ...options, emit, shouldStop });
      const resumeGo: Go = (emit, shouldStop) => resumeExperiment({ ...options, emit, shouldStop });
      const code = finish(
        await execute(runDir, values.json === true, io, smoke ? stopOnceAndResume(go, resumeGo) : go),
        runDir,
        values.json === true,
        io,
      );
      return smoke && code === ExitCode.ok ? smokeSummary(runDir, io, values.json === true) : code;
    } finally {
      lock?.release();
    }
  },
};

/** A new run reserves its directory (under `base`'s name) once it can start; a resumed one holds its lock from the start. */
interface Start {
  readonly plans: readonly Plan[];
  readonly base: string;
  readonly runDir?: string;
  readonly lock?: RunLock;
}

function compileStart(
  file: string,
  values: { variant?: string; out?: string; set?: string[]; seeds?: string },
  io: CommandIO,
  smoke: boolean,
): Start | number {
  const compiled = plansFromFile(
    { file, ...(values.variant !== undefined ? { variant: values.variant } : {}), ...commandLineOf(values) },
    io,
  );
  if (typeof compiled === 'number') return compiled;
  const plans = smoke ? smokePlans(compiled) : compiled;
  const first = plans[0]!;
  return { plans, base: resolve(io.cwd, values.out ?? first.out, first.experiment, timestamp()) };
}

/** Locks the run directory first, so that what it reads is not being written by another run. */
function resumeStart(runDir: string, warn: (message: string) => void): Start {
  if (!existsSync(join(runDir, 'run.json'))) openRunDirectory(runDir); // its error names the missing file
  const lock = acquireRunLock(runDir, warn);
  try {
    return { plans: openRunDirectory(runDir, true).plans, base: runDir, runDir, lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** The smoke run's table, and a line saying what it was (on stderr under --json, whose stdout is JSON lines). */
function smokeSummary(runDir: string, io: CommandIO, json: boolean): number {
  const print = json ? io.stderr : io.stdout;
  const loaded = loadRun(runDir, io.cwd);
  if (!loaded.ok) {
    io.stderr(`lpt run --smoke: ${loaded.message}\n`);
    return ExitCode.inputErrors;
  }
  print(`\n${toMarkdown(buildResultsTable(labelRuns([loaded])))}`);
  print(
    `\nsmoke run: every plan ran end to end (${SMOKE_LIMIT.stepsPerPhase} steps per phase, ${SMOKE_LIMIT.evalBatches} evaluation batches, stopped and resumed); the numbers above are no result. Run directory: ${runDir}\n`,
  );
  return ExitCode.ok;
}

/** Follows the Slurm run's tasks; a stop leaves them running, failed tasks make the exit status 1. */
async function followSlurm(slurm: SlurmRun, json: boolean, io: CommandIO): Promise<number> {
  let outcome: SlurmOutcome | undefined;
  const ran = await execute(
    slurm.runDir,
    json,
    io,
    async (emit, shouldStop) => (outcome = await slurm.go(emit, shouldStop)),
  );
  const code = finish(ran, slurm.runDir, json, io);
  if (ran.value.stopped) io.stderr(reattachHint(slurm.runDir));
  else io.stderr(describeOutcome(outcome!, openRunDirectory(slurm.runDir).plans.length));
  return code === ExitCode.ok && outcome!.failed.length > 0 ? ExitCode.inputErrors : code;
}

function finish(
  { value, stoppedBy }: { value: ExperimentOutcome; stoppedBy: StopSignal | null },
  runDir: string,
  json: boolean,
  io: CommandIO,
): number {
  if (!value.stopped) return ExitCode.ok;
  // The plain and terminal views print the resume command themselves; JSON lines leave it to stderr.
  if (json) io.stderr(`lpt run: stopped (${stoppedBy ?? 'SIGINT'}); resume with: ${resumeHint(runDir)}`);
  return stoppedExitCode(stoppedBy ?? 'SIGINT');
}

/** Runs `go` (a local run, or following a queued one) with the event log, the chosen view and the stop signals. */
async function execute(
  runDir: string,
  json: boolean,
  io: CommandIO,
  go: (emit: EventSink, shouldStop: StopCheck) => Promise<ExperimentOutcome>,
): Promise<{ value: ExperimentOutcome; stoppedBy: StopSignal | null }> {
  // `lpt run ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  const log = createEventLog(join(runDir, 'events.jsonl'));
  try {
    if (json)
      return await withStopSignals((shouldStop) => go(teeSinks(log.sink, createJsonSink(process.stdout)), shouldStop));
    if (io.isTTY) return await watchRun(log.sink, (emit, shouldStop) => go(emit, shouldStop));
    return await withStopSignals((shouldStop) => go(teeSinks(log.sink, createPlainSink(process.stdout)), shouldStop));
  } finally {
    log.close();
  }
}

const options = {
  variant: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
  'keep-checkpoints': { type: 'string' },
  'micro-batch': { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
  queue: { type: 'string' },
  smoke: { type: 'boolean' },
  slurm: { type: 'boolean' },
  'slurm-option': { type: 'string', multiple: true },
  detach: { type: 'boolean' },
  synthetic: { type: 'boolean' },
  ...sweepOptions,
} as const;

function parse(args: readonly string[]) {
  return parseCommandArgs(args, options);
}
