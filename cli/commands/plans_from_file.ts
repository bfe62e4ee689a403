/**
 * FILE + `--set` + `--seeds` + `--variant` to the list of plans to run: the one step `lpt run`
 * (local) and a queue submitter share. Compiles with the command line's overrides and seeds,
 * prints the diagnostics to stderr, and picks the variant. The `--set`/`--seeds` options are
 * declared here once for `run`, `check` and `compile`.
 */
import { resolve } from 'node:path';
import type { CommandLine } from '../../compiler/bind/command_line.ts';
import { compile } from '../../compiler/compile.ts';
import type { Plan } from '../../plan/plan.ts';
import { selectByName } from '../../plan/variants.ts';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { ExitCode, type CommandIO } from './command.ts';
import { countLine, exitCodeFor, formatAll } from './print_diagnostics.ts';

/** parseArgs options for `--set KEY=VALUE` (repeatable) and `--seeds 0,1,2`. */
export const sweepOptions = {
  set: { type: 'string', multiple: true },
  seeds: { type: 'string' },
} as const;

export const sweepUsage = `  --set KEY=VALUE  change one value of every plan, checked like source (repeatable):
                   --set phase.one.epochs=2, --set group.top=3, --set seed=1,
                   --set "one.optim=sgd(lr: 0.03)"; recorded in the plan ("overrides")
  --seeds 0,1,2    run every plan once per seed; lpt report shows mean ± std over the seeds`;

/** The compiler's view of the parsed options. */
export function commandLineOf(values: { set?: string[] | undefined; seeds?: string | undefined }): CommandLine {
  return { ...(values.set ? { set: values.set } : {}), ...(values.seeds !== undefined ? { seeds: values.seeds } : {}) };
}

export interface PlanRequest extends CommandLine {
  /** The .lpt file, relative to io.cwd. */
  readonly file: string;
  /** Only the plans of this variant (every seed of it). */
  readonly variant?: string;
}

/** The plans to run, or the exit code when there are none (the reason is already on stderr). */
export function plansFromFile(request: PlanRequest, io: CommandIO, command = 'lpt run'): readonly Plan[] | number {
  const { file, variant, ...commandLine } = request;
  const result = compile(resolve(io.cwd, file), nodeCompilerHost(io.cwd), { commandLine });
  const lines = formatAll(result.diagnostics, result.sources, io.cwd);
  if (lines.length > 0) io.stderr(`${lines.join('\n\n')}\n${countLine(result.diagnostics, 1)}`);
  const code = exitCodeFor(result.diagnostics);
  if (code !== ExitCode.ok) return code;
  const selection =
    variant === undefined ? { ok: true as const, plans: result.plans } : selectByName(result.plans, variant);
  if (!selection.ok || selection.plans.length === 0) {
    io.stderr(`${command}: ${file}: ${selection.ok ? 'declares no experiment' : selection.message}`);
    return ExitCode.inputErrors;
  }
  return selection.plans;
}
