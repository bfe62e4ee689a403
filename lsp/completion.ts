/**
 * Completion from the spec tables and the program's names: statement keywords of the context,
 * calls of the family a position takes (with their documentation), argument names not yet given
 * (with type and default), choices, named losses, and declared names where a reference goes
 * (modules after `train`/`freeze`, phases after `after`, experts in a scorer, backbones after `on`).
 */
import type { IToken } from 'chevrotain';
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import type { SourceFile } from '../compiler/ast.ts';
import { callNames, callSpec, familyName } from '../compiler/spec/index.ts';
import { keywordIn, keywordsIn } from '../compiler/spec/keywords.ts';
import {
  argumentSummary,
  argumentTableHeader,
  keywordRow,
  keywordTableHeader,
  renderArg,
  renderCall,
} from '../compiler/spec/reference.ts';
import type { ArgType, Context } from '../compiler/spec/types.ts';
import { tokenizeWithComments } from '../grammar/trivia.ts';
import * as t from '../grammar/tokens.ts';
import { membersFitting } from './names.ts';
import type { Member, ProgramIndex } from './program.ts';
import { familiesOf, slotAt } from './slots.ts';
import { holds, locate, type Located } from './syntax.ts';

export function complete(file: SourceFile, offset: number, program: ProgramIndex): CompletionItem[] {
  const text = file.text;
  const { tokens } = tokenizeWithComments(text);
  // The word being typed is the prefix the editor filters by; what precedes it decides.
  const before = tokens.filter(
    (token) =>
      token.startOffset + token.image.length < offset ||
      (token.startOffset + token.image.length === offset && !isWord(token)),
  );
  const previous = before[before.length - 1];
  const located = locate(file, offset);
  const members = () => program.visibleFrom(located.blocks);

  if (previous && tokenIs(previous, t.After)) return names(membersFitting(members(), 'phase'));
  if (previous && tokenIs(previous, t.On)) return names(membersFitting(members(), 'backbone'));
  if (previous && (tokenIs(previous, t.Extends) || tokenIs(previous, t.Of))) {
    return [...program.topLevel.values()]
      .filter((b) => b.keyword !== 'ablation')
      .map((b) => ({ label: b.name, kind: CompletionItemKind.Class, detail: b.keyword }));
  }

  const afterOperator = valueAfterOperator(before, located);
  if (afterOperator) return valuesOf(afterOperator, members);

  const statement = located.statement ?? continuedProperty(located, offset, text);
  if (
    !statement ||
    statement.kind === 'Error' ||
    atKeyword(statement, offset) ||
    startsStatement(previous, statement.span.start, offset)
  ) {
    return keywords(located.context);
  }
  const slot = slotAt(statement === located.statement ? located : { ...located, statement, path: [] }, offset, text);
  const items: CompletionItem[] = [];
  if (slot.call && slot.argumentName) {
    const given = new Set(slot.call.node.args.flatMap((a) => (a.name ? [a.name.name] : [])));
    for (const arg of slot.call.spec.args.filter((a) => !given.has(a.name))) {
      const { type, defaultValue } = argumentSummary(arg);
      items.push({
        label: arg.name,
        kind: CompletionItemKind.Field,
        insertText: `${arg.name}: `,
        detail: `${type}; default ${defaultValue.replace(/[`*]/g, '')}`,
        documentation: markdown([...argumentTableHeader, renderArg(arg)]),
      });
    }
    if (slot.call.node.args.some((a) => a.span.start <= offset && offset <= a.span.end && a.name)) return items;
  }
  return [...items, ...valuesOf(slot.expected, members)];
}

function valuesOf(type: ArgType | undefined, members: () => Member[]): CompletionItem[] {
  if (!type) return [];
  const calls = familiesOf(type).flatMap((family) =>
    callNames(family).map((name): CompletionItem => {
      const spec = callSpec(family, name)!;
      return {
        label: name,
        kind: CompletionItemKind.Function,
        detail: familyName(family),
        documentation: markdown(renderCall(spec)),
      };
    }),
  );
  switch (type.kind) {
    case 'enum':
      return type.values.map((value) => ({ label: value, kind: CompletionItemKind.EnumMember }));
    case 'bool':
      return ['true', 'false'].map((value) => ({ label: value, kind: CompletionItemKind.Value }));
    case 'ref':
      return names(membersFitting(members(), type.to));
    case 'list':
      return [...calls, ...valuesOf(type.of, members).filter((item) => !calls.some((c) => c.label === item.label))];
    case 'oneOf': {
      const seen = new Set<string>();
      return type.of
        .flatMap((inner) => valuesOf(inner, members))
        .filter((item) => !seen.has(item.label) && seen.add(item.label));
    }
    default:
      return calls;
  }
}

function keywords(context: Context): CompletionItem[] {
  return keywordsIn(context).map((name) => {
    const spec = keywordIn(context, name)!;
    return {
      label: name,
      kind: CompletionItemKind.Keyword,
      detail: spec.form,
      documentation: markdown([...keywordTableHeader, keywordRow(spec)]),
    };
  });
}

function names(members: readonly Member[]): CompletionItem[] {
  return members.map((m) => ({
    label: m.name,
    kind: m.keyword === 'phase' ? CompletionItemKind.Event : CompletionItemKind.Variable,
    detail: m.keyword,
  }));
}

/** `train shared, |` or `train |`: the property just before the cursor, continued on its line. */
function continuedProperty(located: Located, offset: number, text: string): Located['statement'] {
  const body = located.blocks.length > 0 ? located.blocks[located.blocks.length - 1]!.body : [];
  const last = [...body].reverse().find((s) => s.span.end <= offset);
  if (last?.kind !== 'Property') return undefined;
  const valuesEnd = last.values[last.values.length - 1]?.span.end ?? last.keyword.span.end;
  const between = text.slice(valuesEnd, offset);
  const spec = keywordIn(located.context, last.keyword.name);
  if (!spec?.value || !/^[ \t]*(,[ \t]*)?$/.test(between)) return undefined;
  return last.values.length === 0 || between.includes(',') ? last : undefined;
}

/**
 * `train = |`, `prompt p = |`, `... | |`: a value not typed yet, so no statement holds the cursor;
 * the tokens before it say what goes there.
 */
function valueAfterOperator(before: readonly IToken[], located: Located): ArgType | undefined {
  const last = before[before.length - 1];
  if (located.statement || !last) return undefined;
  if (tokenIs(last, t.Pipe) && located.context === 'data') return { kind: 'call', family: ['subsample', 'transform'] };
  if (!tokenIs(last, t.Equals)) return undefined;
  const [keyword, name] = [before[before.length - 3], before[before.length - 2]];
  if (located.context === 'data') return { kind: 'call', family: 'source' };
  if (keyword && name && tokenIs(keyword, t.Identifier) && tokenIs(name, t.Identifier))
    return keywordIn(located.context, keyword.image)?.value;
  return undefined;
}

/** On the keyword of a statement (still being typed, or to be replaced). */
function atKeyword(statement: NonNullable<Located['statement']>, offset: number): boolean {
  if (statement.kind === 'Error') return true;
  return statement.kind !== 'Assignment' && holds(statement.keyword.span, offset);
}

/** The cursor follows the `;` that ends the statement (or there is nothing before it). */
function startsStatement(previous: IToken | undefined, statementStart: number, offset: number): boolean {
  if (!previous) return true;
  return (
    (tokenIs(previous, t.Semicolon) || tokenIs(previous, t.LCurly)) &&
    previous.startOffset >= statementStart &&
    offset > previous.startOffset
  );
}

function isWord(token: IToken): boolean {
  return /^[A-Za-z_]/.test(token.image);
}

function tokenIs(token: IToken, type: typeof t.After): boolean {
  return token.tokenType === type;
}

function markdown(lines: readonly string[]): { kind: typeof MarkupKind.Markdown; value: string } {
  return { kind: MarkupKind.Markdown, value: lines.join('\n') };
}
