/**
 * `lpt worker --queue URL`: runs the plans that `lpt run FILE --queue URL` puts on the queue, one
 * job at a time per process (--concurrency N starts N worker processes). Reads data and weights
 * only under --data-root; stops on SIGINT/SIGTERM/SIGHUP after the current step, handing the job
 * back to the queue with its checkpoint (docs/QUEUE.md).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { imageLoadingFromEnv } from '../../runtime/data/pipeline/image_loading_env.ts';
import { BACKEND_PREFERENCES } from '../../runtime/backend/preference.ts';
import { parseQueueUrl } from '../../runtime/queue/queue_url.ts';
import type { RunningWorker } from '../../runtime/queue/worker.ts';
import { runtimeSettingsFromEnv } from '../runtime_settings.ts';
import {
  ExitCode,
  UsageError,
  parseCommandArgs,
  positiveIntegerOption,
  type Command,
  type CommandIO,
} from './command.ts';
import { listenForStopSignals, stoppedExitCode, stopSignals, type StopSignal } from './stop_signals.ts';

const usage = `usage: lpt worker --queue URL [--data-root DIR] [--concurrency N] [--backend B]

Takes plans from the queue that 'lpt run FILE --queue URL' fills and runs them, one job at a time
per worker process, sending events, results and checkpoints back through Redis. A worker runs
plans only (checked against the plan schema and their hash), and every file a plan reads must lie
under the data root (relative paths resolve there). A worker that dies leaves its job locked for
--stall-seconds; then the job returns to the queue and another worker resumes it from its last
checkpoint. SIGINT, SIGTERM and SIGHUP stop after the current step and hand the job back.

options:
  --queue URL          redis://[:PASSWORD@]HOST:PORT[/DB] (the password is never printed)
  --data-root DIR      the folder plans' data and weight paths resolve under (default: .)
  --work-dir DIR       scratch folder for running jobs (default: $TMPDIR/lpt-worker)
  --concurrency N      start N worker processes on this machine (default 1)
  --stall-seconds S    how long a dead worker's job stays locked (default 30)
  --backend B          ${BACKEND_PREFERENCES.join(' | ')} (default auto)
  -h, --help           this help`;

const options = {
  queue: { type: 'string' },
  'data-root': { type: 'string' },
  'work-dir': { type: 'string' },
  concurrency: { type: 'string' },
  'stall-seconds': { type: 'string' },
  backend: { type: 'string' },
} as const;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'.`);
    if (values.queue === undefined) throw new UsageError('give the queue: --queue redis://HOST:PORT');
    const concurrency = positiveIntegerOption(values.concurrency, '--concurrency') ?? 1;
    const stallSeconds = positiveIntegerOption(values['stall-seconds'], '--stall-seconds') ?? 30;
    if (values.backend !== undefined && !(BACKEND_PREFERENCES as readonly string[]).includes(values.backend)) {
      throw new UsageError(`--backend takes ${BACKEND_PREFERENCES.join(', ')} (got '${values.backend}').`);
    }
    const url = parseQueueUrl(values.queue);
    const dataRoot = resolve(io.cwd, values['data-root'] ?? '.');
    if (!statSync(dataRoot, { throwIfNoEntry: false })?.isDirectory()) {
      io.stderr(`lpt worker: --data-root ${dataRoot}: no such directory`);
      return ExitCode.inputErrors;
    }
    if (concurrency > 1) return await superviseWorkers(concurrency, args, io);
    return await runOneWorker(
      {
        url,
        dataRoot,
        workDir: resolve(io.cwd, values['work-dir'] ?? join(tmpdir(), 'lpt-worker')),
        stallSeconds,
        backend: values.backend,
      },
      io,
    );
  },
};

async function runOneWorker(
  o: {
    url: ReturnType<typeof parseQueueUrl>;
    dataRoot: string;
    workDir: string;
    stallSeconds: number;
    backend: string | undefined;
  },
  io: CommandIO,
): Promise<number> {
  const settings = runtimeSettingsFromEnv();
  const imageLoading = imageLoadingFromEnv(process.env);
  const { startQueueWorker } = await import('../../runtime/queue/worker.ts');
  const say = (line: string) => io.stderr(`lpt worker[${process.pid}]: ${line}`);
  const backend = o.backend ?? 'auto';
  // Listening from before the worker starts: it may take a job while it gets ready, and a signal
  // in between would otherwise kill it with that job locked (for --stall-seconds).
  let worker: RunningWorker | undefined;
  let stoppedBy: StopSignal | null = null;
  const unsubscribe = listenForStopSignals((signal) => {
    if (stoppedBy !== null) process.exit(stoppedExitCode(signal));
    stoppedBy = signal;
    say(`${signal}: handing the current job back after its current step (a second signal quits at once)`);
    void worker?.stop();
  });
  try {
    worker = await startQueueWorker({
      url: o.url,
      dataRoot: o.dataRoot,
      workDir: o.workDir,
      backend,
      settings,
      imageLoading,
      stallSeconds: o.stallSeconds,
      say,
    });
    if (stoppedBy !== null) void worker.stop();
    else say(`waiting for jobs on ${o.url.display} (backend ${backend}, data root ${o.dataRoot})`);
    await worker.closed;
  } finally {
    unsubscribe();
  }
  return stoppedBy === null ? ExitCode.ok : stoppedExitCode(stoppedBy);
}

/** --concurrency N: N child processes, each one worker; stop signals are passed on, the worst exit status is returned. */
async function superviseWorkers(n: number, args: readonly string[], io: CommandIO): Promise<number> {
  const childArgs = ['worker', ...withoutConcurrency(args)];
  const children: ChildProcess[] = Array.from({ length: n }, () =>
    fork(process.argv[1]!, childArgs, { cwd: io.cwd, stdio: 'inherit', execArgv: process.execArgv }),
  );
  const pass = (signal: StopSignal) => children.forEach((c) => c.exitCode === null && c.kill(signal));
  const handlers = stopSignals.map((s) => [s, () => pass(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    const codes = await Promise.all(
      children.map(
        (c) =>
          new Promise<number>((done) =>
            c.on('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0))),
          ),
      ),
    );
    return Math.max(...codes);
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}

function withoutConcurrency(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--concurrency') i++;
    else if (!args[i]!.startsWith('--concurrency=')) out.push(args[i]!);
  }
  return out;
}
