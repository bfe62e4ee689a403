/**
 * What a rule may use: the typed model, look-ups over it, the host (for path existence) and
 * `report`. Rules depend on nothing else (graphql-js ValidationContext).
 */
import type { ExperimentModel } from '../bind/model.ts';
import type { DiagnosticBag, MessageArg } from '../../diagnostics/diagnose.ts';
import type { RelatedInfo } from '../../diagnostics/diagnostic.ts';
import type { CompilerHost } from '../host.ts';
import type { Message } from '../../diagnostics/messages.ts';
import type { Span } from '../../diagnostics/span.ts';
import type { Issue } from './coerce.ts';
import type { ModelIndex } from './model_index.ts';
import type { TypedDecl, TypedEvaluation, TypedModel, TypedPhase, TypedSplit } from './typed.ts';

export interface CheckContext {
  readonly model: ExperimentModel;
  readonly typed: TypedModel;
  readonly index: ModelIndex;
  readonly host: CompilerHost;
  report(message: Message, span: Span, args?: readonly MessageArg[], related?: readonly RelatedInfo[]): void;
}

/** Hooks called during the one walk over a typed model; every hook is optional. */
export interface ModelVisitor {
  Experiment?(): void;
  /** A problem found while checking a value against the spec. */
  Issue?(issue: Issue): void;
  Split?(split: TypedSplit): void;
  Declaration?(decl: TypedDecl): void;
  Phase?(phase: TypedPhase): void;
  Evaluation?(evaluation: TypedEvaluation): void;
}

export type Rule = (ctx: CheckContext) => ModelVisitor;

export function makeContext(
  typed: TypedModel,
  index: ModelIndex,
  host: CompilerHost,
  bag: DiagnosticBag,
): CheckContext {
  return {
    model: typed.model,
    typed,
    index,
    host,
    report: (message, span, args = [], related) => bag.report(message, span, args, related),
  };
}
