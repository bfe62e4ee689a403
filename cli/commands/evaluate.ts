/**
 * `lpt evaluate RUN_DIR --split NAME=PIPELINE [--variant V] [--seed N]`: a finished run's model on
 * a new split, added to its results (runtime/use/evaluate_run.ts). The split is written in the
 * language's data syntax and compiled with the run's own experiment file, as `--set
 * data.NAME=PIPELINE` would add it, so the compiler checks it (sources, arguments, the pipeline
 * against the backbone) and every problem is printed with its place on the command line.
 * Exit 0 on success, 1 for a split or run that cannot be evaluated, 2 for bad usage.
 */
import { isAbsolute, resolve } from 'node:path';
import { COMMAND_LINE_FILE } from '../../compiler/bind/command_line.ts';
import { compile } from '../../compiler/compile.ts';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import type { Plan } from '../../plan/plan.ts';
import { variantName } from '../../runtime/store/run_directory.ts';
import { evaluateTrainedRun } from '../../runtime/use/evaluate_run.ts';
import { ExitCode, UsageError, parseCommandArgs, requiredOption, type Command, type CommandIO } from './command.ts';
import { chooseRun, loadChosenRun, TRAINED_RUN_OPTIONS } from './open_trained_run.ts';
import { countLine, exitCodeFor, formatAll } from './print_diagnostics.ts';
import type { ChosenPlan } from '../../runtime/use/trained_run.ts';
import { UseError } from '../../runtime/use/use_error.ts';

const usage = `usage: lpt evaluate RUN_DIR --split NAME=PIPELINE [--variant NAME] [--seed N]

Evaluates the trained model of a finished run on another split, with the shot groups and model of
the plan's first evaluate block, and adds the result to the run's results.json and per_class.csv
(atomically): lpt report RUN_DIR --split NAME then shows it. PIPELINE is written as in the data
block of an .lpt file, e.g. --split "fmnist=fashion_mnist(split: test) | normalize(mean: 0.5, std: 0.5)";
it is compiled with the run's experiment file (recorded in its plan) and checked like source.

options:
  --split NAME=PIPELINE  the split to evaluate on (required; NAME must be new to the plan)
  --variant NAME         the row to evaluate, as results.json names it (needed when the run holds several)
  --seed N               the seed of that row (for rows run with --seeds)
  --backend B            the TensorFlow.js backend (default: the one the run used, else the plan's)
  -h, --help             this help`;

export const command: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...TRAINED_RUN_OPTIONS,
      split: { type: 'string' },
    });
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0 ? 'no RUN_DIR given.' : `expected one RUN_DIR, got ${positionals.length}.`,
      );
    const split = requiredOption(values.split, '--split');
    const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(split)?.[1];
    if (name === undefined) throw new UsageError(`--split must be NAME=PIPELINE (got '${split}').`);
    // The split is compiled and checked before the run's weights are loaded: its errors come at once.
    const chosen = chooseRun({ ...values, runDir: positionals[0]! }, io);
    if (chosen.plan.data.splits.some((s) => s.name === name))
      throw new UseError(`the plan already has a split '${name}'; give the new split another name`);
    const plan = splitPlan(chosen, split, io);
    if (typeof plan === 'number') return plan;
    const planSplit = plan.data.splits.find((s) => s.name === name)!;
    const trained = await loadChosenRun(chosen, values.backend, io, 'evaluate');
    try {
      const result = await evaluateTrainedRun(trained, planSplit, (m) => io.stderr(`lpt evaluate: warning: ${m}`));
      const { overall, many, medium, few } = result.accuracy;
      const pct = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1));
      io.stdout(
        `${trained.variant} on ${name}: overall ${pct(overall)}, many ${pct(many)}, medium ${pct(medium)}, few ${pct(few)} ` +
          `(${result.perClass.total.reduce((a, b) => a + b, 0)} images); added to ${positionals[0]}/results.json`,
      );
    } finally {
      trained.dispose();
    }
    return ExitCode.ok;
  },
};

/**
 * The run's experiment file compiled again with the new split added: this plan's counterpart, or
 * the exit code. The file's own warnings were seen when the run started; only errors and what
 * concerns the command line are printed.
 */
function splitPlan(chosen: ChosenPlan, split: string, io: CommandIO): Plan | number {
  const { plan, index } = chosen;
  const workdir = index.workdir ?? io.cwd;
  const file = isAbsolute(plan.source) ? plan.source : resolve(workdir, plan.source);
  const set = [...(plan.overrides ?? []), `data.${split.trim()}`];
  const seeds = plan.replicateOf === undefined ? {} : { seeds: String(plan.seed) };
  const result = compile(file, nodeCompilerHost(workdir), { commandLine: { set, ...seeds } });
  const shown = result.diagnostics.filter((d) => d.severity === 'error' || d.span.file === COMMAND_LINE_FILE);
  const lines = formatAll(shown, result.sources, io.cwd);
  if (lines.length > 0) io.stderr(`${lines.join('\n\n')}\n${countLine(shown, 1)}`);
  if (exitCodeFor(result.diagnostics) !== ExitCode.ok) return ExitCode.inputErrors;
  const counterpart = result.plans.find((p) => variantName(p) === variantName(plan) && p.seed === plan.seed);
  if (counterpart === undefined) {
    io.stderr(`lpt evaluate: ${file}: declares no variant '${variantName(plan)}' (seed ${plan.seed}) any more`);
    return ExitCode.inputErrors;
  }
  return counterpart;
}
