/**
 * What the printer needs to know about the syntax tree, read from the CST once: where each
 * statement starts and ends and how deep it is, which blocks stay on one line, which `-` are
 * unary, where a line may break, and how far each `=` is padded to line up with its neighbours.
 */
import { tokenMatcher, type CstNode, type IToken } from 'chevrotain';
import { Comma, Dot } from '../grammar/tokens.ts';
import type * as cst from '../grammar/cst.d.ts';

export interface StatementLayout {
  readonly start: number;
  readonly end: number;
  /** Enclosing blocks: the statement's indentation is two spaces per level. */
  readonly depth: number;
  /** Directly inside a block kept on one line. */
  readonly inline: boolean;
  /** Offset of the statement's own `=` (declarations and assignments). */
  readonly equals?: number;
  /**
   * Spaces added before the statement's `=`, or before the `{` of a block kept on one line, so
   * that it lines up with the same mark of neighbouring statements.
   */
  readonly padding: number;
  /** Offset of the token that `padding` applies to. */
  readonly aligned?: number;
  /** Offset of the first value token (after `=`, or after a property's keyword). */
  readonly valueStart?: number;
}

export interface BlockLayout {
  readonly open: number;
  readonly close: number;
  /** Depth of the statements in its body. */
  readonly depth: number;
  readonly inline: boolean;
}

export interface Layout {
  readonly statements: ReadonlyMap<number, StatementLayout>;
  readonly blockOpens: ReadonlyMap<number, BlockLayout>;
  readonly blockCloses: ReadonlyMap<number, BlockLayout>;
  readonly unaryMinus: ReadonlySet<number>;
  /** `|`, `+` and `-` between operands: a line may break before them. */
  readonly operators: ReadonlySet<number>;
}

/** `prefix`: the printed width before the aligned mark; `shape`: only statements of one shape align. */
type Laid = StatementLayout & { readonly prefix?: number; readonly shape?: string };

export function layoutOf(file: cst.FileCstNode, text: string, tokens: readonly IToken[]): Layout {
  const statements = new Map<number, StatementLayout>();
  const blockOpens = new Map<number, BlockLayout>();
  const blockCloses = new Map<number, BlockLayout>();
  const unaryMinus = new Set<number>();
  const operators = new Set<number>();

  const body = (nodes: readonly cst.StatementCstNode[], depth: number, inline: boolean): void => {
    const laid = nodes.map((node) => statement(node, depth, inline));
    if (!inline) alignMarks(laid, text);
    for (const s of laid) statements.set(s.start, s);
  };

  const statement = (node: cst.StatementCstNode, depth: number, inline: boolean): Laid => {
    const { declaration, assignment, block, property } = node.children;
    const start = node.location!.startOffset;
    const end = node.location!.endOffset!;
    if (block?.[0]) {
      const c = block[0].children;
      const open = c.LCurly[0]!.startOffset;
      const close = c.RCurly[0]!.startOffset;
      const inside = text.slice(open + 1, close);
      // An empty block is printed `{ }` however it was written.
      const oneLine = !inside.includes('\n') || inside.trim() === '';
      const layout = { open, close, depth: depth + 1, inline: oneLine };
      blockOpens.set(open, layout);
      blockCloses.set(close, layout);
      body(c.statement ?? [], depth + 1, oneLine);
      const header = tokens.filter((token) => token.startOffset >= start && token.startOffset < open);
      return {
        start,
        end,
        depth,
        inline,
        padding: 0,
        ...(oneLine ? { aligned: open, prefix: headerWidth(header), shape: `${c.keyword[0]!.image} {` } : {}),
      };
    }
    expressions(node, unaryMinus, operators);
    if (declaration?.[0]) {
      const c = declaration[0].children;
      const prefix = c.keyword[0]!.image.length + 1 + nameWidth(c.name[0]!);
      const equals = c.Equals[0]!.startOffset;
      return {
        start,
        end,
        depth,
        inline,
        padding: 0,
        equals,
        aligned: equals,
        valueStart: firstOffset(c.value[0]),
        prefix,
      };
    }
    if (assignment?.[0]) {
      const c = assignment[0].children;
      const equals = c.Equals[0]!.startOffset;
      return {
        start,
        end,
        depth,
        inline,
        padding: 0,
        equals,
        aligned: equals,
        valueStart: firstOffset(c.value[0]),
        prefix: nameWidth(c.target[0]!),
      };
    }
    const values = property?.[0]?.children.values;
    return { start, end, depth, inline, padding: 0, valueStart: firstOffset(values?.[0]) };
  };

  body(file.children.statement ?? [], 0, false);
  return { statements, blockOpens, blockCloses, unaryMinus, operators };
}

/**
 * Runs of neighbouring declarations and assignments get their `=` in one column, and runs of
 * one-line blocks of one keyword (a table of variants) their `{`, as gofmt aligns consecutive
 * key-value lines. A blank line, a statement of another shape, or a comment before the mark
 * ends a run.
 */
function alignMarks(laid: Laid[], text: string): void {
  let run: number[] = [];
  const shape = (s: Laid): string => s.shape ?? '=';
  const flush = (): void => {
    const width = Math.max(...run.map((i) => laid[i]!.prefix!));
    for (const i of run) laid[i] = { ...laid[i]!, padding: width - laid[i]!.prefix! };
    run = [];
  };
  laid.forEach((s, i) => {
    const alignable = s.prefix !== undefined && !/\/[/*]/.test(text.slice(s.start, s.aligned));
    const previous = laid[i - 1];
    const joined =
      previous !== undefined &&
      run.includes(i - 1) &&
      shape(previous) === shape(s) &&
      !/\n[ \t\r]*\n/.test(text.slice(previous.end + 1, s.start));
    if (run.length > 0 && !(alignable && joined)) flush();
    if (alignable) run.push(i);
  });
  if (run.length > 0) flush();
}

/** Width of a block header as printed: names and connectors one space apart, `a, b` and `a.b`. */
function headerWidth(header: readonly IToken[]): number {
  let width = 0;
  header.forEach((token, i) => {
    const glued =
      i === 0 || tokenMatcher(token, Comma) || tokenMatcher(token, Dot) || tokenMatcher(header[i - 1]!, Dot);
    width += token.image.length + (glued ? 0 : 1);
  });
  return width;
}

function nameWidth(ref: cst.NameRefCstNode): number {
  return ref.children.parts.reduce((sum, part) => sum + part.image.length, 0) + (ref.children.Dot?.length ?? 0);
}

function firstOffset(node: CstNode | undefined): number | undefined {
  return node?.location?.startOffset;
}

/** Unary minus signs and breakable operators in a statement's expressions (not in nested blocks). */
function expressions(node: CstNode, unary: Set<number>, operators: Set<number>): void {
  const visit = (n: CstNode): void => {
    if (n.name === 'block') return;
    if (n.name === 'unary') for (const minus of (n.children['Minus'] ?? []) as IToken[]) unary.add(minus.startOffset);
    if (n.name === 'additive')
      for (const op of (n.children['operators'] ?? []) as IToken[]) operators.add(op.startOffset);
    if (n.name === 'expression')
      for (const pipe of (n.children['Pipe'] ?? []) as IToken[]) operators.add(pipe.startOffset);
    for (const children of Object.values(n.children)) {
      for (const child of children) if ('children' in child) visit(child);
    }
  };
  visit(node);
}
