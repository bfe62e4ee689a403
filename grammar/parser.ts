/**
 * The `.lpt` grammar as a Chevrotain CstParser: action-free rules that build a concrete syntax
 * tree; compiler/lower.ts turns it into the AST. The productions (docs/diagrams/grammar.html
 * draws them) follow docs/LANGUAGE.md ("Syntax").
 *
 * Statements need no separators, so a statement's kind is chosen by scanning ahead over its
 * (possibly dotted) names with GATEs: `Ident Ident(.Ident)* =` is a declaration,
 * `Ident(.Ident)* =` an assignment, `Ident (Ident|String)? {` or `... connector` a block, and
 * anything else a property. The alternatives share a first token, hence IGNORE_AMBIGUITIES.
 */
import { CstParser, tokenMatcher, type IOrAlt, type TokenType } from 'chevrotain';
import { problemMessageProvider } from './problems.ts';
import * as t from './tokens.ts';

const connectors: readonly TokenType[] = [t.Of, t.After, t.Extends];

export class LptParser extends CstParser {
  /**
   * Each OR's alternatives, built on first use and reused (Chevrotain's performance advice):
   * rebuilding the closures on every call was a large share of parse time.
   */
  private readonly alternatives: Record<string, IOrAlt<unknown>[]> = {};

  constructor() {
    super(t.allTokens as TokenType[], {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      maxLookahead: 3,
      errorMessageProvider: problemMessageProvider,
    });
    this.performSelfAnalysis();
  }

  /**
   * file : (statement | ";")*
   * A stray ";" is an empty statement. Besides being forgiving, it gives error recovery a place
   * to resume: after `batch 64 ) ; epochs 5` the parser skips `)` and carries on at `;`.
   */
  public file = this.RULE('file', () => {
    this.MANY(() =>
      this.OR(
        (this.alternatives['fileItem'] ??= [
          { ALT: () => this.SUBRULE(this.statement) },
          { ALT: () => this.CONSUME(t.Semicolon) },
        ]),
      ),
    );
  });

  /** statement : (declaration | assignment | block | property) ";"? */
  public statement = this.RULE('statement', () => {
    this.OR(
      (this.alternatives['statement'] ??= [
        { GATE: () => this.startsDeclaration(), ALT: () => this.SUBRULE(this.declaration), IGNORE_AMBIGUITIES: true },
        { GATE: () => this.startsAssignment(), ALT: () => this.SUBRULE(this.assignment), IGNORE_AMBIGUITIES: true },
        { GATE: () => this.startsBlock(), ALT: () => this.SUBRULE(this.block), IGNORE_AMBIGUITIES: true },
        { ALT: () => this.SUBRULE(this.property), IGNORE_AMBIGUITIES: true },
      ]),
    );
    this.OPTION(() => this.CONSUME(t.Semicolon));
  });

  /** block : Identifier (Identifier | String)? link* "{" (statement | ";")* "}" */
  public block = this.RULE('block', () => {
    this.CONSUME(t.Identifier, { LABEL: 'keyword' });
    this.OPTION(() =>
      this.OR(
        (this.alternatives['blockName'] ??= [
          { ALT: () => this.CONSUME2(t.Identifier, { LABEL: 'name' }) },
          { ALT: () => this.CONSUME(t.StringLiteral, { LABEL: 'name' }) },
        ]),
      ),
    );
    this.MANY(() => this.SUBRULE(this.link));
    this.CONSUME(t.LCurly);
    this.MANY2(() =>
      this.OR2(
        (this.alternatives['blockItem'] ??= [
          { ALT: () => this.SUBRULE(this.statement) },
          { ALT: () => this.CONSUME(t.Semicolon) },
        ]),
      ),
    );
    this.CONSUME(t.RCurly);
  });

  /** link : ("of" | "after" | "extends") nameRef ("," nameRef)* */
  public link = this.RULE('link', () => {
    this.OR(
      (this.alternatives['connector'] ??= connectors.map((c) => ({
        ALT: () => this.CONSUME(c, { LABEL: 'connector' }),
      }))),
    );
    this.SUBRULE(this.nameRef, { LABEL: 'targets' });
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.nameRef, { LABEL: 'targets' });
    });
  });

  /** declaration : Identifier nameRef "=" expression ("on" nameRef)? */
  public declaration = this.RULE('declaration', () => {
    this.CONSUME(t.Identifier, { LABEL: 'keyword' });
    this.SUBRULE(this.nameRef, { LABEL: 'name' });
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
    this.OPTION(() => {
      this.CONSUME(t.On);
      this.SUBRULE2(this.nameRef, { LABEL: 'on' });
    });
  });

  /** assignment : nameRef "=" expression */
  public assignment = this.RULE('assignment', () => {
    this.SUBRULE(this.nameRef, { LABEL: 'target' });
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  /**
   * property : Identifier ( parenArguments | (expression ("," expression)*)? )
   * A keyword directly followed by "(" is a call statement (`budget(trainable: <=1.1M)`).
   */
  public property = this.RULE('property', () => {
    this.CONSUME(t.Identifier, { LABEL: 'keyword' });
    this.OPTION(() =>
      // One token decides: "(" always opens call arguments, so `budget( }` is reported inside
      // the call rather than as an unreadable statement.
      this.OR({
        MAX_LOOKAHEAD: 1,
        DEF: (this.alternatives['propertyValues'] ??= [
          { ALT: () => this.SUBRULE(this.parenArguments), IGNORE_AMBIGUITIES: true },
          {
            ALT: () => {
              this.SUBRULE(this.expression, { LABEL: 'values' });
              this.MANY(() => {
                this.CONSUME(t.Comma);
                this.SUBRULE2(this.expression, { LABEL: 'values' });
              });
            },
            IGNORE_AMBIGUITIES: true,
          },
        ]),
      }),
    );
  });

  /** expression : additive ("|" additive)* */
  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.additive, { LABEL: 'stages' });
    this.MANY(() => {
      this.CONSUME(t.Pipe);
      this.SUBRULE2(this.additive, { LABEL: 'stages' });
    });
  });

  /** additive : multiplicative (("+" | "-") multiplicative)* */
  public additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR(
        (this.alternatives['additiveOperator'] ??= [
          { ALT: () => this.CONSUME(t.Plus, { LABEL: 'operators' }) },
          { ALT: () => this.CONSUME(t.Minus, { LABEL: 'operators' }) },
        ]),
      );
      this.SUBRULE2(this.multiplicative, { LABEL: 'operands' });
    });
  });

  /** multiplicative : unary (("*" | "/") unary)* */
  public multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR(
        (this.alternatives['multiplicativeOperator'] ??= [
          { ALT: () => this.CONSUME(t.Star, { LABEL: 'operators' }) },
          { ALT: () => this.CONSUME(t.Slash, { LABEL: 'operators' }) },
        ]),
      );
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  /** unary : "-" unary | comparison | postfix */
  public unary = this.RULE('unary', () => {
    this.OR(
      (this.alternatives['unary'] ??= [
        {
          ALT: () => {
            this.CONSUME(t.Minus);
            this.SUBRULE(this.unary, { LABEL: 'operand' });
          },
        },
        { ALT: () => this.SUBRULE(this.comparison) },
        { ALT: () => this.SUBRULE(this.postfix) },
      ]),
    );
  });

  /** comparison : (">" | "<" | ">=" | "<=") postfix */
  public comparison = this.RULE('comparison', () => {
    this.OR(
      (this.alternatives['comparisonOperator'] ??= [t.Greater, t.Less, t.GreaterEqual, t.LessEqual].map((op) => ({
        ALT: () => this.CONSUME(op, { LABEL: 'operator' }),
      }))),
    );
    this.SUBRULE(this.postfix, { LABEL: 'value' });
  });

  /** postfix : primary (".." primary)? */
  public postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary, { LABEL: 'from' });
    this.OPTION(() => {
      this.CONSUME(t.DotDot);
      this.SUBRULE2(this.primary, { LABEL: 'to' });
    });
  });

  /** primary : Number | String | nameRef parenArguments? | list | "(" expression ")" */
  public primary = this.RULE('primary', () => {
    this.OR(
      (this.alternatives['primary'] ??= [
        { ALT: () => this.CONSUME(t.NumberLiteral) },
        { ALT: () => this.CONSUME(t.StringLiteral) },
        {
          ALT: () => {
            this.SUBRULE(this.nameRef);
            this.OPTION({ MAX_LOOKAHEAD: 1, DEF: () => this.SUBRULE(this.parenArguments) });
          },
        },
        { ALT: () => this.SUBRULE(this.list) },
        {
          ALT: () => {
            this.CONSUME(t.LParen);
            this.SUBRULE(this.expression, { LABEL: 'inner' });
            this.CONSUME(t.RParen);
          },
        },
      ]),
    );
  });

  /** list : "[" (expression ("," expression)* ","?)? "]" */
  public list = this.RULE('list', () => {
    this.CONSUME(t.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: 'items' });
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.expression, { LABEL: 'items' });
      });
      this.OPTION2(() => this.CONSUME2(t.Comma));
    });
    this.CONSUME(t.RBracket);
  });

  /** parenArguments : "(" (argument ("," argument)* ","?)? ")" */
  public parenArguments = this.RULE('parenArguments', () => {
    this.CONSUME(t.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.argument);
      });
      this.OPTION2(() => this.CONSUME2(t.Comma));
    });
    this.CONSUME(t.RParen);
  });

  /** argument : (Identifier ":")? expression */
  public argument = this.RULE('argument', () => {
    this.OPTION(() => {
      this.CONSUME(t.Identifier, { LABEL: 'name' });
      this.CONSUME(t.Colon);
    });
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  /** nameRef : Identifier ("." Identifier)* */
  public nameRef = this.RULE('nameRef', () => {
    this.CONSUME(t.Identifier, { LABEL: 'parts' });
    this.MANY(() => {
      this.CONSUME(t.Dot);
      this.CONSUME2(t.Identifier, { LABEL: 'parts' });
    });
  });

  /** `Ident Ident (. Ident)* =` */
  private startsDeclaration(): boolean {
    return this.isAt(1, t.Identifier) && this.equalsAfterName(2);
  }

  /** `Ident (. Ident)* =` */
  private startsAssignment(): boolean {
    return this.equalsAfterName(1);
  }

  /** `Ident {`, `Ident connector`, or the same with an Identifier or String name between. */
  private startsBlock(): boolean {
    if (!this.isAt(1, t.Identifier)) return false;
    if (this.opensBody(2)) return true;
    return (this.isAt(2, t.Identifier) || this.isAt(2, t.StringLiteral)) && this.opensBody(3);
  }

  private opensBody(i: number): boolean {
    return this.isAt(i, t.LCurly) || connectors.some((connector) => this.isAt(i, connector));
  }

  /** Whether a dotted name starts at lookahead position `i` and is followed by "=". */
  private equalsAfterName(i: number): boolean {
    if (!this.isAt(i, t.Identifier)) return false;
    let next = i + 1;
    while (this.isAt(next, t.Dot) && this.isAt(next + 1, t.Identifier)) next += 2;
    return this.isAt(next, t.Equals);
  }

  private isAt(i: number, type: TokenType): boolean {
    return tokenMatcher(this.LA(i), type);
  }
}

/** The one parser instance; grammar/parse.ts resets it per file with `parser.input = tokens`. */
export const parser = new LptParser();
