/**
 * compile(path, host): the whole compiler as a chain of pure stages, each returning its value and its diagnostics:
 * load (parse the root file and its imports) -> bind (experiments, presets, ablation variants)
 * -> check (rules, per model) -> emit (plans with budgets) -> validate (ajv). Diagnostics of every
 * stage are gathered; plans are returned only when there is no error at all. No stage throws on
 * user input; an exception is a compiler bug and becomes an internal-error diagnostic.
 */
import { bind } from './bind/bind.ts';
import { COMMAND_LINE_FILE, parseCommandLine, type CommandLine } from './bind/command_line.ts';
import type { ExperimentModel } from './bind/model.ts';
import { check } from './check/check.ts';
import { DiagnosticBag, diagnostic, sortDiagnostics } from '../diagnostics/diagnose.ts';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { CompilerHost } from './host.ts';
import { Messages } from '../diagnostics/messages.ts';
import { parseFile } from './parse_file.ts';
import { budgetDiagnostics } from './plan/budget_assertions.ts';
import { emitPlan } from './plan/emit.ts';
import { runtimeSupportDiagnostics } from './plan/runtime_support.ts';
import type { Plan } from '../plan/plan.ts';
import { validatePlan } from '../plan/validate.ts';
import { loadProgram } from './program/load.ts';
import { absolutePath } from './program/paths.ts';
import { sweepModel } from './bind/sweep.ts';

export interface CompileResult {
  /** One plan per experiment of the root file, then one per ablation variant; empty when there are errors. */
  readonly plans: readonly Plan[];
  /** Every diagnostic of every stage, sorted by file and offset. */
  readonly diagnostics: readonly Diagnostic[];
  /** The text of every loaded file by absolute path, for printing diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
}

export interface CompileOptions {
  /**
   * Also report what the runtime cannot run (code 5001, runtime/supports.ts); on by default, as
   * `lpt check`, `lpt compile` and `lpt run` do. Off: plans the language accepts, runnable or not.
   */
  readonly runtimeSupport?: boolean;
  /**
   * `--set KEY=VALUE` overrides and `--seeds`: applied to every experiment and variant, checked as
   * source; diagnostics about them point into the virtual file `<command line>` (in `sources`).
   */
  readonly commandLine?: CommandLine;
}

export function compile(path: string, host: CompilerHost, options: CompileOptions = {}): CompileResult {
  const opts = { runtimeSupport: options.runtimeSupport ?? true };
  const cwd = host.cwd ?? '/';
  const root = absolutePath(path, cwd);
  const bag = new DiagnosticBag();
  const sources = new Map<string, string>();
  const plans: Plan[] = [];
  try {
    const program = loadProgram(root, host, parseFile);
    for (const [file, ast] of program.files) sources.set(file, ast.text);
    bag.addAll(program.diagnostics);
    if (program.files.size === 0) bag.report(Messages.FileNotFound, { file: root, start: 0, end: 0 }, [path]);
    const commandLine = parseCommandLine(options.commandLine ?? {}, bag);
    if (commandLine.text) sources.set(COMMAND_LINE_FILE, commandLine.text);
    const bound = bind(program.files, root, bag);
    const models = [...bound.experiments, ...bound.variants].flatMap(
      (model) => guarded(bag, model, () => sweepModel(model, commandLine, variantNotes(model, bag))) ?? [],
    );
    const bindingFailed = hasErrors(bag.items);
    for (const model of bound.ablationBases) guarded(bag, model, () => bag.addAll(check(model, host).diagnostics));
    for (const model of models) {
      const plan = guarded(bag, model, () => compileModel(model, host, cwd, bag, bindingFailed, opts));
      if (plan) plans.push(plan);
    }
  } catch (e) {
    bag.add(internalError(e, { file: root, start: 0, end: 0 }));
  }
  const diagnostics = sortDiagnostics(bag.items);
  return { plans: hasErrors(diagnostics) ? [] : plans, diagnostics, sources };
}

function compileModel(
  model: ExperimentModel,
  host: CompilerHost,
  cwd: string,
  outer: DiagnosticBag,
  bindingFailed: boolean,
  options: { readonly runtimeSupport: boolean },
): Plan | undefined {
  const bag = variantNotes(model, outer);
  const result = check(model, host);
  bag.addAll(result.diagnostics);
  if (model.partial || bindingFailed || hasErrors(result.diagnostics)) return undefined;
  const plan = emitPlan(result, host, cwd);
  const budget = budgetDiagnostics(result.typed, plan);
  bag.addAll(budget);
  const validation = validatePlan(plan);
  if (!validation.ok) {
    for (const e of validation.errors)
      bag.report(Messages.PlanSchemaViolation, model.nameNode.span, [e.instancePath, e.message]);
    return undefined;
  }
  if (hasErrors(budget)) return undefined;
  const unsupported = options.runtimeSupport ? runtimeSupportDiagnostics(model, plan) : [];
  bag.addAll(unsupported);
  return unsupported.length > 0 ? undefined : plan;
}

/** For a variant, every diagnostic gets a note naming the variant (its span may lie in the base experiment). */
function variantNotes(model: ExperimentModel, outer: DiagnosticBag): Pick<DiagnosticBag, 'add' | 'addAll' | 'report'> {
  const variant = model.variant;
  if (!variant) return outer;
  const note = {
    message: `in variant "${variant.name}" of ablation '${variant.ablation}'`,
    span: variant.nameNode.span,
  };
  const add = (d: Diagnostic): void => outer.add({ ...d, related: [...(d.related ?? []), note] });
  return {
    add,
    addAll: (ds) => {
      for (const d of ds) add(d);
    },
    report: (message, span, args = [], related = []) => add(diagnostic(message, span, args, related)),
  };
}

function guarded<T>(bag: DiagnosticBag, model: ExperimentModel, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    bag.add(internalError(e, (model.variant?.nameNode ?? model.nameNode).span));
    return undefined;
  }
}

function internalError(e: unknown, span: Diagnostic['span']): Diagnostic {
  const message = e instanceof Error ? e.message : String(e);
  return diagnostic(Messages.InternalError, span, [message]);
}
