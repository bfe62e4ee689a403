/**
 * The AST of an `.lpt` file. The syntax is deliberately uniform (like HCL): a file is a list of
 * statements; a statement is a block, a declaration, an assignment or a property. What each
 * keyword means (experiment, phase, prompt, ...) is decided by the compiler, not the grammar, so
 * an unknown keyword is a checked diagnostic with a did-you-mean, not a parse error.
 *
 *   experiment quickstart extends base { ... }     Block (keyword, name, links, body)
 *   ablation phases of quickstart { ... }          Block
 *   phase two after one { ... }                    Block
 *   variant "VPT" { ... }                          Block with a string name
 *   prompt shared = deep(length: 10) on vit        Declaration (keyword, name, value, on)
 *   vary group.top = [1, 2, 3]                     Declaration with a dotted name
 *   train = mnist(split: train) | longtail(...)    Assignment
 *   group.top = 3                                  Assignment with a dotted target
 *   seed 0        train shared, cls                Property (keyword, values)
 *
 * Every node carries its source span. A statement or expression the parser had to recover from
 * becomes an `Error` node; later stages skip those so that one syntax error does not cascade.
 */
import type { Span } from '../diagnostics/span.ts';

export interface Identifier {
  readonly kind: 'Identifier';
  readonly name: string;
  readonly span: Span;
}

/** `a` or `a.b.c`; each part keeps its own span so diagnostics can point at one segment. */
export interface NameRef {
  readonly kind: 'NameRef';
  readonly parts: readonly Identifier[];
  readonly span: Span;
}

export interface StringLiteral {
  readonly kind: 'String';
  readonly value: string;
  readonly span: Span;
}

/** A number with an optional unit suffix: `1.1M` is value 1.1e6 with unit 'M'; `2%` is value 2 with unit '%'. */
export interface NumberLiteral {
  readonly kind: 'Number';
  /** The value with k/M/G multipliers applied (percent is NOT divided by 100). */
  readonly value: number;
  readonly unit?: 'k' | 'M' | 'G' | '%';
  readonly raw: string;
  readonly span: Span;
}

/** `name: value` inside a call, or a positional `value`. */
export interface Argument {
  readonly kind: 'Argument';
  readonly name?: Identifier;
  readonly value: Expression;
  readonly span: Span;
}

/** `deep(length: 10, layers: all)`; the callee may be dotted (`presets.vit_b16(...)`). */
export interface Call {
  readonly kind: 'Call';
  readonly callee: NameRef;
  readonly args: readonly Argument[];
  readonly span: Span;
}

export interface ListLiteral {
  readonly kind: 'List';
  readonly items: readonly Expression[];
  readonly span: Span;
}

/** `4..6`: inclusive, 1-based when it names layers. */
export interface Range {
  readonly kind: 'Range';
  readonly from: Expression;
  readonly to: Expression;
  readonly span: Span;
}

/** A one-sided comparison used as a value: `>100`, `<=1.1M`. */
export interface Comparison {
  readonly kind: 'Comparison';
  readonly op: '>' | '<' | '>=' | '<=';
  readonly value: Expression;
  readonly span: Span;
}

export interface Binary {
  readonly kind: 'Binary';
  readonly op: '+' | '-' | '*' | '/';
  readonly left: Expression;
  readonly right: Expression;
  readonly span: Span;
}

export interface Unary {
  readonly kind: 'Unary';
  readonly op: '-';
  readonly operand: Expression;
  readonly span: Span;
}

/** `a | b | c`: a data pipeline (source, then subsampling and transforms). */
export interface Pipe {
  readonly kind: 'Pipe';
  readonly stages: readonly Expression[];
  readonly span: Span;
}

export interface ErrorNode {
  readonly kind: 'Error';
  readonly span: Span;
}

export type Expression =
  NameRef | StringLiteral | NumberLiteral | Call | ListLiteral | Range | Comparison | Binary | Unary | Pipe | ErrorNode;

/** `from` is the connector keyword: `experiment a extends b`, `ablation x of a`, `phase two after one`. */
export interface Link {
  readonly kind: 'Link';
  readonly connector: Identifier & { readonly name: 'of' | 'after' | 'extends' };
  readonly targets: readonly NameRef[];
  readonly span: Span;
}

export interface Block {
  readonly kind: 'Block';
  readonly keyword: Identifier;
  readonly name?: Identifier | StringLiteral;
  readonly links: readonly Link[];
  readonly body: readonly Statement[];
  readonly span: Span;
}

export interface Declaration {
  readonly kind: 'Declaration';
  readonly keyword: Identifier;
  readonly name: NameRef;
  readonly value: Expression;
  /** `on vit`: the backbone a module attaches to. */
  readonly on?: NameRef;
  readonly span: Span;
}

export interface Assignment {
  readonly kind: 'Assignment';
  readonly target: NameRef;
  readonly value: Expression;
  readonly span: Span;
}

export interface Property {
  readonly kind: 'Property';
  readonly keyword: Identifier;
  readonly values: readonly Expression[];
  readonly span: Span;
}

export type Statement = Block | Declaration | Assignment | Property | ErrorNode;

export interface SourceFile {
  readonly kind: 'SourceFile';
  readonly path: string;
  readonly text: string;
  readonly statements: readonly Statement[];
  readonly span: Span;
}
