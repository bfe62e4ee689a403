/**
 * Lowering: the parser's concrete syntax tree (grammar/cst.d.ts) to the AST of ast.ts, as a
 * Chevrotain CST visitor (one method per grammar rule). Every node gets the span of the source
 * text it was read from.
 *
 * Recovery: an expression the parser had to recover from, or one that is missing, becomes an
 * `Error` node; a statement that lost its keyword or name becomes an `Error` statement; a link
 * target or `on` target that is missing is left out (the parse stage has reported each of these).
 * Lowering never throws, whatever the tree looks like.
 */
import { tokenMatcher, type CstNode, type IToken } from 'chevrotain';
import type * as cst from '../grammar/cst.d.ts';
import { readNumber, readString } from '../grammar/literals.ts';
import { parser } from '../grammar/parser.ts';
import { Identifier } from '../grammar/tokens.ts';
import type * as ast from './ast.ts';
import type { Span } from '../diagnostics/span.ts';

const BaseVisitor = parser.getBaseCstVisitorConstructor<Span, unknown>();

/** Each rule method gets the node's children and the node's span (which also names the file). */
class Lowerer extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  file(children: cst.FileCstChildren, span: Span): ast.Statement[] {
    return (children.statement ?? []).map((statement) => this.statementOf(statement, span));
  }

  statement(children: cst.StatementCstChildren, span: Span): ast.Statement {
    const inner =
      children.declaration?.[0] ?? children.assignment?.[0] ?? children.block?.[0] ?? children.property?.[0];
    if (inner === undefined) return errorNode(span);
    return this.visit(inner, nodeSpan(inner, span)) as ast.Statement;
  }

  block(children: cst.BlockCstChildren, span: Span): ast.Statement {
    const keyword = identifierOf(children.keyword?.[0], span);
    if (keyword === undefined) return errorNode(span);
    const nameToken = children.name?.[0];
    const name =
      nameToken && tokenMatcher(nameToken, Identifier) ? identifierOf(nameToken, span) : stringOf(nameToken, span);
    const links = (children.link ?? []).flatMap((link) => {
      const lowered = this.visit(link, nodeSpan(link, span)) as ast.Link | undefined;
      return lowered === undefined ? [] : [lowered];
    });
    const opener = tokenSpan(children.LCurly?.[0], span) ?? span;
    const body = (children.statement ?? []).map((statement) => this.statementOf(statement, opener));
    return { kind: 'Block', keyword, ...(name && { name }), links, body, span };
  }

  link(children: cst.LinkCstChildren, span: Span): ast.Link | undefined {
    const connector = identifierOf(children.connector?.[0], span);
    const targets = (children.targets ?? []).flatMap((target) => this.nameRefOf(target, span) ?? []);
    if (connector === undefined || targets.length === 0) return undefined;
    return { kind: 'Link', connector: connector as ast.Link['connector'], targets, span };
  }

  declaration(children: cst.DeclarationCstChildren, span: Span): ast.Statement {
    const keyword = identifierOf(children.keyword?.[0], span);
    const name = this.nameRefOf(children.name?.[0], span);
    if (keyword === undefined || name === undefined) return errorNode(span);
    const value = this.expressionOf(children.value?.[0], tokenSpan(children.Equals?.[0], span) ?? name.span);
    const on = this.nameRefOf(children.on?.[0], span);
    return { kind: 'Declaration', keyword, name, value, ...(on && { on }), span };
  }

  assignment(children: cst.AssignmentCstChildren, span: Span): ast.Statement {
    const target = this.nameRefOf(children.target?.[0], span);
    if (target === undefined) return errorNode(span);
    const value = this.expressionOf(children.value?.[0], tokenSpan(children.Equals?.[0], span) ?? target.span);
    return { kind: 'Assignment', target, value, span };
  }

  property(children: cst.PropertyCstChildren, span: Span): ast.Statement {
    const keyword = identifierOf(children.keyword?.[0], span);
    if (keyword === undefined) return errorNode(span);
    const call = children.parenArguments?.[0];
    if (call !== undefined) {
      const callee: ast.NameRef = { kind: 'NameRef', parts: [keyword], span: keyword.span };
      return { kind: 'Property', keyword, values: [this.callOf(callee, call, span)], span };
    }
    return { kind: 'Property', keyword, values: this.expressionsOf(children.values, keyword.span), span };
  }

  expression(children: cst.ExpressionCstChildren, span: Span): ast.Expression {
    const stages = this.expressionsOf(children.stages, startOf(span));
    if (stages.length === 1) return stages[0]!;
    return stages.length === 0 ? errorNode(span) : { kind: 'Pipe', stages, span };
  }

  additive(children: cst.AdditiveCstChildren, span: Span): ast.Expression {
    return this.binaryChain(children.operands, children.operators, span);
  }

  multiplicative(children: cst.MultiplicativeCstChildren, span: Span): ast.Expression {
    return this.binaryChain(children.operands, children.operators, span);
  }

  unary(children: cst.UnaryCstChildren, span: Span): ast.Expression {
    if (children.Minus !== undefined) {
      return { kind: 'Unary', op: '-', operand: this.expressionOf(children.operand?.[0], span), span };
    }
    return this.expressionOf(children.comparison?.[0] ?? children.postfix?.[0], span);
  }

  comparison(children: cst.ComparisonCstChildren, span: Span): ast.Expression {
    const op = children.operator?.[0]?.image as ast.Comparison['op'] | undefined;
    if (op === undefined) return errorNode(span);
    return { kind: 'Comparison', op, value: this.expressionOf(children.value?.[0], span), span };
  }

  postfix(children: cst.PostfixCstChildren, span: Span): ast.Expression {
    const from = this.expressionOf(children.from?.[0], span);
    if (children.DotDot === undefined) return from;
    return { kind: 'Range', from, to: this.expressionOf(children.to?.[0], span), span };
  }

  primary(children: cst.PrimaryCstChildren, span: Span): ast.Expression {
    const number = children.Number?.[0];
    if (number !== undefined) return numberOf(number, span);
    const string = stringOf(children.String?.[0], span);
    if (string !== undefined) return string;
    const name = children.nameRef?.[0];
    if (name !== undefined) {
      const callee = this.nameRefOf(name, span);
      if (callee === undefined) return errorNode(span);
      const call = children.parenArguments?.[0];
      return call === undefined ? callee : this.callOf(callee, call, span);
    }
    const list = children.list?.[0];
    if (list !== undefined) return this.expressionOf(list, span);
    // A parenthesised expression keeps its own node, widened to cover the parentheses.
    return { ...this.expressionOf(children.inner?.[0], span), span };
  }

  list(children: cst.ListCstChildren, span: Span): ast.Expression {
    return {
      kind: 'List',
      items: this.expressionsOf(children.items, tokenSpan(children.LBracket?.[0], span) ?? span),
      span,
    };
  }

  parenArguments(children: cst.ParenArgumentsCstChildren, span: Span): ast.Argument[] {
    let previous = tokenSpan(children.LParen?.[0], span) ?? span;
    return (children.argument ?? []).map((argument) => {
      const lowered = this.visit(argument, nodeSpan(argument, previous)) as ast.Argument;
      previous = lowered.span;
      return lowered;
    });
  }

  argument(children: cst.ArgumentCstChildren, span: Span): ast.Argument {
    const name = identifierOf(children.name?.[0], span);
    const near = tokenSpan(children.Colon?.[0], span) ?? span;
    return { kind: 'Argument', ...(name && { name }), value: this.expressionOf(children.value?.[0], near), span };
  }

  nameRef(children: cst.NameRefCstChildren, span: Span): ast.NameRef | undefined {
    const parts = (children.parts ?? []).map((part) => identifierOf(part, span));
    if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
    return { kind: 'NameRef', parts: parts as ast.Identifier[], span };
  }

  statementOf(node: cst.StatementCstNode, near: Span): ast.Statement {
    return this.visit(node, nodeSpan(node, near)) as ast.Statement;
  }

  /** Any expression-level node; `near` places a zero-width Error when nothing was read. */
  expressionOf(node: CstNode | undefined, near: Span): ast.Expression {
    if (node === undefined) return errorNode(emptySpanAfter(near));
    const span = nodeSpan(node, near);
    if (node.recoveredNode) return errorNode(span);
    return this.visit(node, span) as ast.Expression;
  }

  /** A sequence of expressions; a missing one is placed just after the one before it. */
  expressionsOf(nodes: readonly CstNode[] | undefined, near: Span): ast.Expression[] {
    let previous = near;
    return (nodes ?? []).map((node) => {
      const lowered = this.expressionOf(node, previous);
      previous = lowered.span;
      return lowered;
    });
  }

  nameRefOf(node: cst.NameRefCstNode | undefined, near: Span): ast.NameRef | undefined {
    if (node === undefined || node.recoveredNode) return undefined;
    return this.visit(node, nodeSpan(node, near)) as ast.NameRef | undefined;
  }

  callOf(callee: ast.NameRef, node: cst.ParenArgumentsCstNode, near: Span): ast.Call {
    const argsSpan = nodeSpan(node, near);
    const args = node.recoveredNode ? [] : (this.visit(node, argsSpan) as ast.Argument[]);
    return { kind: 'Call', callee, args, span: cover(callee.span, argsSpan) };
  }

  /** Folds `a - b * c`-style operand lists to the left: ((a op b) op c). */
  binaryChain(
    operands: readonly CstNode[] | undefined,
    operators: readonly IToken[] | undefined,
    span: Span,
  ): ast.Expression {
    const [first, ...rest] = this.expressionsOf(operands, startOf(span));
    let result: ast.Expression = first ?? errorNode(span);
    rest.forEach((right, i) => {
      const op = (operators?.[i]?.image ?? '+') as ast.Binary['op'];
      result = { kind: 'Binary', op, left: result, right, span: cover(result.span, right.span) };
    });
    return result;
  }
}

const lowerer = new Lowerer();

/** The AST of one file; `cst` is what grammar/parse.ts returned for `text`. */
export function lower(tree: cst.FileCstNode, text: string, file: string): ast.SourceFile {
  const span: Span = { file, start: 0, end: text.length };
  const statements = lowerer.visit(tree, span) as ast.Statement[];
  return { kind: 'SourceFile', path: file, text, statements, span };
}

function errorNode(span: Span): ast.ErrorNode {
  return { kind: 'Error', span };
}

/** A token that was really read (not inserted by the parser's recovery). */
function isReal(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && !Number.isNaN(token.startOffset);
}

function tokenSpan(token: IToken | undefined, near: Span): Span | undefined {
  if (!isReal(token)) return undefined;
  return { file: near.file, start: token.startOffset, end: token.startOffset + token.image.length };
}

/** The node's own span, or an empty span just after `near` when it holds no real token. */
function nodeSpan(node: CstNode, near: Span): Span {
  const location = node.location;
  if (location === undefined || Number.isNaN(location.startOffset)) return emptySpanAfter(near);
  return { file: near.file, start: location.startOffset, end: (location.endOffset ?? location.startOffset) + 1 };
}

function emptySpanAfter(near: Span): Span {
  return { file: near.file, start: near.end, end: near.end };
}

/** An empty span where `span` starts: the place for something missing at its very beginning. */
function startOf(span: Span): Span {
  return { file: span.file, start: span.start, end: span.start };
}

function cover(a: Span, b: Span): Span {
  return { file: a.file, start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

function identifierOf(token: IToken | undefined, near: Span): ast.Identifier | undefined {
  const span = tokenSpan(token, near);
  return span && { kind: 'Identifier', name: token!.image, span };
}

function stringOf(token: IToken | undefined, near: Span): ast.StringLiteral | undefined {
  const span = tokenSpan(token, near);
  return span && { kind: 'String', value: readString(token!.image).value, span };
}

function numberOf(token: IToken, near: Span): ast.Expression {
  const span = tokenSpan(token, near);
  if (span === undefined) return errorNode(emptySpanAfter(near));
  const read = readNumber(token.image);
  return { kind: 'Number', value: read.value, ...(read.unit && { unit: read.unit }), raw: token.image, span };
}
