/**
 * The shape of a CLI command. cli/main.ts keeps a table of {name, summary, load}; adding a
 * command is one line there plus one file here exporting `command: Command`. Commands are loaded
 * lazily so that `lpt check` does not pay for TensorFlow.js.
 *
 * Exit codes: 0 success, 1 the input has errors, 2 bad usage, 3 internal error. `lpt run` stopped on
 * request (q, Ctrl-C, SIGTERM, SIGHUP) exits with 128 + the signal's number (cli/commands/stop_signals.ts).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface CommandIO {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal (for commands that draw a UI). */
  readonly isTTY: boolean;
}

export interface Command {
  /** Full help text for `lpt NAME --help`. */
  readonly usage: string;
  run(args: readonly string[], io: CommandIO): Promise<number>;
}

export interface CommandEntry {
  readonly name: string;
  /** One line for `lpt --help`. */
  readonly summary: string;
  readonly load: () => Promise<{ readonly command: Command }>;
}

export const ExitCode = { ok: 0, inputErrors: 1, usage: 2, internal: 3 } as const;

/** Thrown by commands for bad usage; main prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An option's value, or bad usage naming the flag when it is missing or empty. */
export function requiredOption(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required.`);
  return value;
}

/** An option's positive whole number (digits only), undefined when absent; bad usage otherwise. */
export function positiveIntegerOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a positive integer (got '${value}').`);
  return n;
}

/** The --seed option's whole number (digits only), undefined when absent; bad usage otherwise. */
export function seedOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--seed must be a whole number (got '${value}').`);
  return Number(value);
}

/** node:util parseArgs with positionals allowed and unknown options refused as bad usage. */
export function parseCommandArgs<T extends OptionsConfig>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
