/**
 * The `lpt` command line: a small table of commands, each loaded on demand from cli/commands/.
 * To add a command (run, features, report, ...), add one line to `commands` and one file
 * cli/commands/NAME.ts exporting `command: Command` (see commands/command.ts).
 */
import type { CommandEntry, CommandIO } from './commands/command.ts';
import { ExitCode, UsageError } from './commands/command.ts';
import { isUserError } from './commands/user_errors.ts';

export const commands: readonly CommandEntry[] = [
  { name: 'check', summary: 'check .lpt files and print every diagnostic', load: () => import('./commands/check.ts') },
  {
    name: 'run',
    summary: 'train and evaluate an experiment and its variants; --resume continues a run',
    load: () => import('./commands/run.ts'),
  },
  {
    name: 'worker',
    summary: "run the plans that 'lpt run --queue URL' puts on a Redis queue (BullMQ)",
    load: () => import('./commands/worker.ts'),
  },
  {
    name: 'cancel',
    summary: "cancel the Slurm tasks of a run directory that 'lpt run FILE --slurm' submitted",
    load: () => import('./commands/cancel.ts'),
  },
  {
    name: 'slurm-task',
    summary: "one task of an 'lpt run --slurm' job array (the run's batch script starts it on a node)",
    load: () => import('./commands/slurm_task.ts'),
  },
  {
    name: 'features',
    summary: 'final-LayerNorm CLS features of a frozen ViT for a .npy batch',
    load: () => import('./commands/features.ts'),
  },
  {
    name: 'embed-text',
    summary: 'L2-normalised CLIP text embeddings of the lines of a file, as a .npy',
    load: () => import('./commands/embed_text.ts'),
  },
  {
    name: 'report',
    summary: 'results table of run directories (markdown/CSV) and the long-tail plot',
    load: () => import('./commands/report.ts'),
  },
  {
    name: 'view',
    summary: 'a web page over run directories: runs, live progress, tables and plots to compare',
    load: () => import('./commands/view.ts'),
  },
  {
    name: 'export',
    summary: "a run's trained state, backbones and splits as files PyTorch loads (safetensors, split lists)",
    load: () => import('./commands/export.ts'),
  },
  {
    name: 'predict',
    summary: "a finished run's model on image files: top-K classes and probabilities as CSV",
    load: () => import('./commands/predict.ts'),
  },
  {
    name: 'evaluate',
    summary: "a finished run's model on another split, added to its results (lpt report --split NAME)",
    load: () => import('./commands/evaluate.ts'),
  },
  {
    name: 'fmt',
    summary: 'format .lpt files in the canonical layout; --check lists files that would change',
    load: () => import('./commands/fmt.ts'),
  },
  {
    name: 'lsp',
    summary: 'the language server for editors (Language Server Protocol over --stdio)',
    load: () => import('./commands/lsp.ts'),
  },
  {
    name: 'compile',
    summary: 'compile an experiment to its plan (JSON), or print its budget',
    load: () => import('./commands/compile.ts'),
  },
];

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: lpt COMMAND [ARGS]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'lpt COMMAND --help' for a command's options. Exit codes: 0 ok, 1 errors in the input, 2 bad usage, 3 internal error; a stopped run: 128 + the signal (130, 143, 129).",
  ].join('\n');
}

export function processIO(): CommandIO {
  return {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

export async function main(argv: readonly string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`lpt: unknown command '${name}'.\n\n${usage()}`);
    return ExitCode.usage;
  }
  try {
    const { command } = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(command.usage);
      return ExitCode.ok;
    }
    try {
      return await command.run(rest, io);
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`lpt ${name}: ${e.message}\n\n${command.usage}`);
        return ExitCode.usage;
      }
      // Bad input found while running (a missing file, a locked run, ...): one line, no stack.
      if (isUserError(e)) {
        io.stderr(`lpt ${name}: ${e.message}`);
        return ExitCode.inputErrors;
      }
      throw e;
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(
      `lpt ${name}: internal error: ${message}\nThis is a bug in lpt; please report it with the input that caused it.`,
    );
    return ExitCode.internal;
  }
}
