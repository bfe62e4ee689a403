/**
 * `lpt compile FILE`: the plan of each experiment in FILE as JSON (stdout, or atomically to -o),
 * or of one ablation variant (--variant) or all of them (--all-variants); --summary prints the
 * budget table. Diagnostics go to stderr; any error means no plan and exit 1.
 */
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../io/atomic.ts';
import { compile } from '../../compiler/compile.ts';
import type { Plan } from '../../plan/plan.ts';
import { selectByName } from '../../plan/variants.ts';
import { formatBudgetSummary } from '../../compiler/plan/summary.ts';
import { describeResources, taskResources } from '../../runtime/slurm/resources.ts';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { ExitCode, UsageError, parseCommandArgs, type Command } from './command.ts';
import { commandLineOf, sweepOptions, sweepUsage } from './plans_from_file.ts';
import { countLine, exitCodeFor, formatAll } from './print_diagnostics.ts';

const usage = `usage: lpt compile FILE [--variant NAME | --all-variants] [--experiment NAME] [--set KEY=VALUE]... [--seeds 0,1,2] [-o PLAN.json] [--summary]

Compiles FILE to execution plans (JSON, validated against plan/plan.schema.json).
Without options: the plan of each experiment declared in FILE (an array when there are several).

options:
  --variant NAME      the plan of one ablation variant ("VPT", or "ABLATION/VPT" when ambiguous)
  --all-variants      every plan: the experiments, then every variant of every ablation
                      (a file of ablations only compiles all its variants without this flag)
  --experiment NAME   only plans of this experiment
${sweepUsage}
  -o, --output FILE   write the JSON to FILE (atomically) instead of stdout
  --summary           print the budget table (parameters, share, FLOPs, memory) and what each task
                      of 'lpt run --slurm' asks Slurm for, instead of JSON
  -h, --help          this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parse(args);
    if (positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'no file given.' : 'compile takes one file.');
    if (values.variant !== undefined && values['all-variants'])
      throw new UsageError('--variant and --all-variants exclude each other.');
    const file = positionals[0]!;
    const result = compile(resolve(io.cwd, file), nodeCompilerHost(io.cwd), { commandLine: commandLineOf(values) });
    const lines = formatAll(result.diagnostics, result.sources, io.cwd);
    if (lines.length > 0) io.stderr(`${lines.join('\n\n')}\n${countLine(result.diagnostics, 1)}`);
    const code = exitCodeFor(result.diagnostics);
    if (code !== ExitCode.ok) return code;

    const plans = select(result.plans, values);
    if (plans.length === 0) {
      io.stderr(
        `lpt compile: ${file} declares no experiment or ablation${values.experiment ? ` of an experiment named '${values.experiment}'` : ''}.`,
      );
      return ExitCode.inputErrors;
    }
    const json = `${JSON.stringify(plans.length === 1 ? plans[0] : plans, null, 2)}\n`;
    if (values.output !== undefined) writeAtomically(resolve(io.cwd, values.output), json);
    if (values.summary)
      io.stdout(
        plans
          .map(
            (p) =>
              `${formatBudgetSummary(p)}\n\n  slurm task (lpt run --slurm): ${describeResources(taskResources(p))}`,
          )
          .join('\n\n'),
      );
    else if (values.output === undefined) io.stdout(json);
    return ExitCode.ok;
  },
};

const options = {
  variant: { type: 'string' },
  'all-variants': { type: 'boolean' },
  experiment: { type: 'string' },
  output: { type: 'string', short: 'o' },
  summary: { type: 'boolean' },
  ...sweepOptions,
} as const;

function parse(args: readonly string[]) {
  return parseCommandArgs(args, options);
}

function select(
  all: readonly Plan[],
  options: { variant?: string; 'all-variants'?: boolean; experiment?: string },
): readonly Plan[] {
  const plans = options.experiment === undefined ? [...all] : all.filter((p) => p.experiment === options.experiment);
  if (options['all-variants']) return plans;
  if (options.variant === undefined) {
    const experiments = plans.filter((p) => p.variant === null);
    // A file of ablations only (its experiment is imported): its own plans are the variants.
    return experiments.length > 0 ? experiments : plans;
  }
  const selection = selectByName(plans, options.variant);
  if (!selection.ok) throw new UsageError(selection.message);
  return selection.plans;
}

/** Atomic (see io/atomic.ts): readers never see half a plan. */
function writeAtomically(path: string, text: string): void {
  try {
    writeFileAtomic(path, text);
  } catch (e) {
    throw new UsageError(`cannot write '${path}': ${e instanceof Error ? e.message : String(e)}`);
  }
}
