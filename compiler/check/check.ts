/**
 * check(model): runs every rule over one model in a single walk (graphql-js visitInParallel) and
 * returns the typed model with the diagnostics found.
 */
import type { ExperimentModel } from '../bind/model.ts';
import { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import { Messages } from '../../diagnostics/messages.ts';
import { issueOwners } from './rules/issue_rule.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { CompilerHost } from '../host.ts';
import { makeContext, type ModelVisitor, type Rule } from './context.ts';
import { ModelIndex } from './model_index.ts';
import { allRules } from './rules/index.ts';
import { analyze, type TypedModel } from './typed.ts';

export interface CheckResult {
  readonly typed: TypedModel;
  readonly index: ModelIndex;
  readonly diagnostics: readonly Diagnostic[];
}

export function check(model: ExperimentModel, host: CompilerHost, rules: readonly Rule[] = allRules): CheckResult {
  const typed = analyze(model);
  const index = new ModelIndex(typed);
  const bag = new DiagnosticBag();
  const ctx = makeContext(typed, index, host, bag);
  const visitors: ModelVisitor[] = rules.map((rule) => rule(ctx));
  const each = <K extends keyof ModelVisitor>(hook: K, ...args: Parameters<NonNullable<ModelVisitor[K]>>): void => {
    for (const v of visitors) (v[hook] as ((...a: unknown[]) => void) | undefined)?.(...args);
  };
  each('Experiment');
  for (const issue of typed.coercer.issues) {
    if (issueOwners.has(issue.message.code)) each('Issue', issue);
    else
      bag.report(Messages.InternalError, issue.span, [
        `no check rule owns diagnostic ${issue.message.code} (${issue.message.text})`,
      ]);
  }
  for (const split of typed.splits) each('Split', split);
  for (const decl of typed.decls.values()) each('Declaration', decl);
  for (const phase of typed.phases) each('Phase', phase);
  for (const evaluation of typed.evaluations) each('Evaluation', evaluation);
  return { typed, index, diagnostics: bag.items };
}
