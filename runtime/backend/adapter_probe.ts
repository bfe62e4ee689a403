/**
 * 'auto''s look for a WebGPU adapter, in a child process (adapter_probe_child.mjs). Dawn writes
 * to stderr from native code while it looks (lavapipe's "maxDynamic... artificially reduced"
 * warnings on every start), which no switch silences; in a child those lines are captured, so a
 * run that ends up on wasm starts without two lines of noise about a GPU it does not use. Dawn
 * is loaded in the run's own process only when webgpu is chosen (webgpu.ts probeWebGpu). A child
 * that crashes, exits without an answer or hangs past the timeout is one clear problem in the
 * backend line, with the last message it wrote to stderr.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adapterProbe, dawnLoadProblem, dawnStartProblem, type GpuAdapterInfo, type WebGpuProbe } from './webgpu.ts';

/** Looks for an adapter with Dawn's switches (`dawnFlags`); never throws. */
export type AdapterProbe = (dawnFlags: readonly string[]) => Promise<WebGpuProbe>;

/** Long enough for a driver's first start on a many-GPU machine, which can take seconds; lavapipe answers in 0.2 s. */
export const ADAPTER_PROBE_TIMEOUT_MS = 30_000;

const CHILD_SCRIPT = fileURLToPath(new URL('./adapter_probe_child.mjs', import.meta.url));
const WHO = 'the WebGPU adapter probe (Dawn in a child process)';

export interface ChildProbeOptions {
  /** The script to run (tests: one that crashes or hangs); default adapter_probe_child.mjs. */
  readonly script?: string;
  readonly timeoutMs?: number;
}

/** What the child prints: how far Dawn got, and the adapter or the error. */
type ChildReport =
  | { readonly stage: 'load' | 'start'; readonly error: { readonly code?: string; readonly message: string } }
  | {
      readonly stage: 'adapter';
      readonly adapter: { readonly info: GpuAdapterInfo; readonly isFallbackAdapter: boolean } | null;
    };

const answers = new Map<string, Promise<WebGpuProbe>>();

/** The probe 'auto' uses: one child per process and set of Dawn switches. */
export const probeAdapterInChild: AdapterProbe = (dawnFlags) => {
  const key = dawnFlags.join(' ');
  let answer = answers.get(key);
  if (answer === undefined) answers.set(key, (answer = runChildProbe(dawnFlags)));
  return answer;
};

/** Runs the child once (no caching). */
export function runChildProbe(dawnFlags: readonly string[], options: ChildProbeOptions = {}): Promise<WebGpuProbe> {
  const timeoutMs = options.timeoutMs ?? ADAPTER_PROBE_TIMEOUT_MS;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.script ?? CHILD_SCRIPT, ...dawnFlags],
      { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        const report = error === null ? parseReport(stdout) : undefined;
        if (report !== undefined) resolve(probeOf(report));
        else resolve({ ok: false, problem: childProblem(error, stderr, timeoutMs) });
      },
    );
  });
}

function parseReport(stdout: string): ChildReport | undefined {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    const report = JSON.parse(last) as ChildReport;
    return ['load', 'start', 'adapter'].includes(report?.stage) ? report : undefined;
  } catch {
    return undefined;
  }
}

function probeOf(report: ChildReport): WebGpuProbe {
  if (report.stage === 'adapter') return adapterProbe(report.adapter);
  const error = Object.assign(new Error(report.error.message), { code: report.error.code });
  return { ok: false, problem: report.stage === 'load' ? dawnLoadProblem(error) : dawnStartProblem(error) };
}

/** "... crashed (SIGSEGV), its last message on stderr: ...": one line, without semicolons (the backend line's separator). */
function childProblem(error: ExecFileException | null, stderr: string, timeoutMs: number): string {
  const message = lastMessage(stderr);
  const said = message === '' ? '' : `, its last message on stderr: ${message}`;
  if (error === null) return `${WHO} printed no answer${said}`;
  if (typeof error.code === 'string') return `${WHO} could not run (${error.message.split('\n')[0]})`;
  if (error.killed && error.signal === 'SIGKILL') return `${WHO} did not answer within ${timeoutMs / 1000} s`;
  if (error.signal) return `${WHO} crashed (${error.signal})${said}`;
  return `${WHO} exited with code ${error.code} without an answer${said}`;
}

/** The last line of stderr that says something: not a stack frame, not Node's closing version line. */
function lastMessage(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim());
  const said = lines.filter((line) => line !== '' && !line.startsWith('at ') && !/^Node\.js v\d/.test(line));
  return (said.at(-1) ?? '').replaceAll(';', ',').slice(0, 300);
}
