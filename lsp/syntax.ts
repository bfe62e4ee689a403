/**
 * Where the cursor is in a file's AST: the blocks around it (and so the keyword context of the
 * spec), the statement it is in, and the chain of expressions from that statement down to the
 * innermost node at the cursor. Works on recovered ASTs of half-typed files.
 */
import type { Block, Expression, SourceFile, Statement } from '../compiler/ast.ts';
import type { Context } from '../compiler/spec/types.ts';
import type { Span } from '../diagnostics/span.ts';

export interface Located {
  /** Enclosing blocks whose body holds the cursor, outermost first. */
  readonly blocks: readonly Block[];
  readonly context: Context;
  /** The innermost statement at the cursor (not a block whose body holds it). */
  readonly statement?: Statement;
  /** Expressions from the statement's value (or values) down to the innermost one at the cursor. */
  readonly path: readonly Expression[];
}

const blockContexts: Readonly<Record<string, Context>> = {
  experiment: 'experiment',
  preset: 'experiment',
  ablation: 'ablation',
  variant: 'variant',
  phase: 'phase',
  data: 'data',
  evaluate: 'evaluate',
};

/** The spec context of a block's body (experiment for presets); undefined for unknown keywords. */
export function contextOf(block: Block): Context | undefined {
  return blockContexts[block.keyword.name];
}

/** A span holds an offset when the offset is inside it or at its end (the cursor after a word). */
export const holds = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/** Where a block's body starts: after the `{` that follows its header. */
export function bodyStart(block: Block, text: string): number | undefined {
  const headerEnd = Math.max(block.keyword.span.end, block.name?.span.end ?? 0, ...block.links.map((l) => l.span.end));
  const brace = text.indexOf('{', headerEnd);
  return brace < 0 || brace >= block.span.end ? undefined : brace + 1;
}

export function locate(file: SourceFile, offset: number): Located {
  const blocks: Block[] = [];
  let statements: readonly Statement[] = file.statements;
  for (;;) {
    const statement = statements.find((s) => holds(s.span, offset));
    if (statement?.kind === 'Block') {
      const start = bodyStart(statement, file.text);
      const insideBody =
        start !== undefined &&
        offset >= start &&
        (offset < statement.span.end || !file.text.slice(start, statement.span.end).trimEnd().endsWith('}'));
      if (insideBody) {
        blocks.push(statement);
        statements = statement.body;
        continue;
      }
    }
    const inner = blocks[blocks.length - 1];
    const context = inner ? (contextOf(inner) ?? 'experiment') : 'file';
    return {
      blocks,
      context,
      ...(statement ? { statement } : {}),
      path: statement ? expressionPath(statement, offset) : [],
    };
  }
}

function expressionPath(statement: Statement, offset: number): Expression[] {
  const roots: Expression[] =
    statement.kind === 'Property'
      ? [...statement.values]
      : statement.kind === 'Declaration' || statement.kind === 'Assignment'
        ? [statement.value]
        : [];
  const path: Expression[] = [];
  let candidates = roots;
  for (;;) {
    const next = candidates.find((e) => holds(e.span, offset));
    if (!next) return path;
    path.push(next);
    candidates = childrenOf(next);
  }
}

export function childrenOf(e: Expression): Expression[] {
  switch (e.kind) {
    case 'Call':
      return [e.callee, ...e.args.map((a) => a.value)];
    case 'List':
      return [...e.items];
    case 'Range':
      return [e.from, e.to];
    case 'Comparison':
      return [e.value];
    case 'Binary':
      return [e.left, e.right];
    case 'Unary':
      return [e.operand];
    case 'Pipe':
      return [...e.stages];
    default:
      return [];
  }
}
