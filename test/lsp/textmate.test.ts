/**
 * The TextMate grammar: the committed file is the generated one, and a small emulation of a
 * TextMate tokenizer (earliest match wins, ties go to the first rule; block comments span lines)
 * colours the shipped files as the lexer reads them: every number, string and comment token
 * gets its scope, statement keywords, calls and argument names theirs.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { textMateGrammar, textMateJson } from '../../lsp/textmate.ts';
import { tokenizeWithComments } from '../../grammar/trivia.ts';

const root = resolve(import.meta.dirname, '../..');
const grammar = textMateGrammar() as {
  repository: Record<
    string,
    {
      match?: string;
      name?: string;
      begin?: string;
      end?: string;
      patterns?: unknown[];
      captures?: Record<string, { name?: string }>;
    }
  >;
};

interface Rule {
  readonly regex: RegExp;
  readonly scope?: string;
  readonly capture?: string;
  readonly end?: RegExp;
}

const rules: Rule[] = Object.values(grammar.repository).flatMap((entry) => {
  const inner = (entry.patterns ?? [entry]) as {
    match?: string;
    name?: string;
    begin?: string;
    end?: string;
    captures?: Record<string, { name?: string }>;
  }[];
  return inner.map((r): Rule => ({
    regex: new RegExp(r.match ?? r.begin!, 'g'),
    ...(r.name ? { scope: r.name } : {}),
    ...(r.captures?.['1']?.name ? { capture: r.captures['1'].name } : {}),
    ...(r.end ? { end: new RegExp(r.end, 'g') } : {}),
  }));
});

/** Scope of every character offset of `text`. */
function colour(text: string): (string | undefined)[] {
  const scopes: (string | undefined)[] = new Array(text.length).fill(undefined);
  let lineStart = 0;
  let inside: Rule | undefined;
  for (const line of text.split('\n')) {
    let at = 0;
    while (at <= line.length) {
      if (inside) {
        inside.end!.lastIndex = at;
        const close = inside.end!.exec(line);
        const stop = close ? close.index + close[0].length : line.length;
        scopes.fill(inside.scope, lineStart + at, lineStart + stop);
        at = stop;
        if (close) inside = undefined;
        else break;
        continue;
      }
      let best: { rule: Rule; match: RegExpExecArray } | undefined;
      for (const rule of rules) {
        rule.regex.lastIndex = at;
        const match = rule.regex.exec(line);
        if (match && match[0].length > 0 && (!best || match.index < best.match.index)) best = { rule, match };
      }
      if (!best) break;
      const { rule, match } = best;
      const start = lineStart + match.index;
      if (rule.capture && match[1] !== undefined) {
        const offset = match[0].lastIndexOf(match[1]);
        scopes.fill(rule.capture, start + offset, start + offset + match[1].length);
      } else scopes.fill(rule.scope, start, start + match[0].length);
      at = match.index + match[0].length;
      if (rule.end) {
        inside = rule;
      }
    }
    lineStart += line.length + 1;
  }
  return scopes;
}

test('the committed grammar is the generated one (run scripts/gen_textmate.ts)', (t) => {
  t.is(readFileSync(join(root, 'editors/vscode/syntaxes/lpt.tmLanguage.json'), 'utf8'), textMateJson());
});

test('numbers, strings and comments of every shipped file get their scopes', (t) => {
  const files = readdirSync(join(root, 'experiments'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.lpt'),
  );
  t.true(files.length >= 10);
  const expected: Record<string, string> = {
    Number: 'constant.numeric.lpt',
    String: 'string.quoted.double.lpt',
    LineComment: 'comment.line.double-slash.lpt',
    BlockComment: 'comment.block.lpt',
  };
  for (const file of files) {
    const text = readFileSync(join(root, 'experiments', file), 'utf8');
    const scopes = colour(text);
    const { tokens, comments } = tokenizeWithComments(text);
    for (const token of [...tokens, ...comments]) {
      const scope = expected[token.tokenType.name];
      if (!scope) continue;
      const seen = new Set(scopes.slice(token.startOffset, token.startOffset + token.image.length));
      t.deepEqual([...seen], [scope], `${file}: ${token.image}`);
    }
  }
});

test('keywords, connectors, calls and argument names', (t) => {
  const text =
    'experiment q extends base {\n  prompt p = deep(length: 10) on vit\n  phase one { loss agcl; sample dual(per_class: 4) }\n}\n';
  const scopes = colour(text);
  const scopeOf = (word: string, nth = 0): string | undefined => {
    let index = -1;
    for (let i = 0; i <= nth; i++) index = text.indexOf(word, index + 1);
    return scopes[index];
  };
  t.is(scopeOf('experiment'), 'keyword.other.statement.lpt');
  t.is(scopeOf('extends'), 'keyword.control.connector.lpt');
  t.is(scopeOf('prompt'), 'keyword.other.statement.lpt');
  t.is(scopeOf('deep'), 'support.function.lpt');
  t.is(scopeOf('length'), 'variable.parameter.lpt');
  t.is(scopeOf('on'), 'keyword.control.connector.lpt');
  t.is(scopeOf('sample'), 'keyword.other.statement.lpt');
  t.is(scopeOf('agcl'), 'support.function.lpt');
  t.is(scopeOf('{'), 'punctuation.section.block.begin.lpt');
});
