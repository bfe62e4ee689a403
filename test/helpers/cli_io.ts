/** A CommandIO that records what a command prints, for in-process CLI tests. */
import type { CommandIO } from '../../cli/commands/command.ts';

export interface RecordingIO extends CommandIO {
  readonly out: string[];
  readonly err: string[];
}

export function recordingIO(cwd: string): RecordingIO {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd, isTTY: false, out, err, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) };
}
