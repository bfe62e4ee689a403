/**
 * The file paths that the repository's comments and documents cite, for test/cited_paths.test.ts:
 * comments of TypeScript and JavaScript files (found by the TypeScript parser, so a `//` inside a
 * string or a regular expression is not one), `#` comments and docstrings of Python and shell
 * scripts, comments of .lpt files, and Markdown outside its fenced code examples. A citation is
 * a word that ends in a source or document extension, a path from the root or a neighbour's name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from './import_graph.ts';

export interface Citation {
  readonly file: string;
  readonly line: number;
  readonly path: string;
}

const CITED_PATH = /(?<![\w./@:-])\/?(?:\.{1,2}\/)*[\w-]+(?:[./][\w-]+)*\.(?:tsx?|mjs|js|py|sh|md|json|lpt)(?![\w/-])/g;

/** The comment texts of a TypeScript or JavaScript file, with the offset each starts at. */
function scriptComments(file: string, text: string): { text: string; start: number }[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const starts = new Set<number>();
  const comments: { text: string; start: number }[] = [];
  const collect = (ranges: readonly ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (starts.has(range.pos)) continue;
      starts.add(range.pos);
      comments.push({ text: text.slice(range.pos, range.end), start: range.pos });
    }
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    node.forEachChild(visit);
  };
  visit(source);
  collect(ts.getLeadingCommentRanges(text, source.endOfFileToken.getFullStart()));
  return comments;
}

/** `#` comments and triple-quoted docstrings of a Python or shell script. */
function hashComments(text: string): { text: string; start: number }[] {
  return [...text.matchAll(/(?:^|(?<=\s))#.*$|"""[\s\S]*?"""/gm)].map((m) => ({ text: m[0], start: m.index }));
}

/** `//` and block comments of an .lpt file (grammar/tokens.ts); its strings hold no `//`. */
function lptComments(text: string): { text: string; start: number }[] {
  return [...text.matchAll(/\/\/.*$|\/\*[\s\S]*?\*\//gm)].map((m) => ({ text: m[0], start: m.index }));
}

const blank = (part: string) => part.replace(/[^\n]/g, ' ');

/**
 * A Markdown document without its fenced code blocks (examples, not citations) and the texts of
 * its links (a link cites its target, not its label), blanked in place.
 */
function markdownProse(text: string): { text: string; start: number }[] {
  const prose = text
    .replace(/^```[\s\S]*?^```/gm, blank)
    .replace(/\[([^\]\n]*)\]\(/g, (_link, label: string) => `[${blank(label)}](`);
  return [{ text: prose, start: 0 }];
}

/** The parts of `file` whose citations count: comments of code, the prose of a document. */
export function citingText(file: string, text: string): { text: string; start: number }[] {
  switch (extname(file)) {
    case '.ts':
    case '.tsx':
    case '.js':
    case '.mjs':
      return scriptComments(file, text);
    case '.py':
    case '.sh':
      return hashComments(text);
    case '.lpt':
      return lptComments(text);
    case '.md':
      return markdownProse(text);
    default:
      return [];
  }
}

export function citations(file: string, text = readFileSync(join(ROOT, file), 'utf8')): Citation[] {
  return citingText(file, text).flatMap((part) =>
    [...part.text.matchAll(CITED_PATH)].map((m) => ({
      file,
      line: text.slice(0, part.start + m.index).split('\n').length,
      path: m[0],
    })),
  );
}

/** Whether `path` names a file or folder of the repository, beside `file` or from the root (never an absolute path). */
export function resolves(file: string, path: string): boolean {
  if (isAbsolute(path)) return false;
  const inside = (full: string) => !relative(ROOT, full).startsWith('..') && existsSync(full);
  return inside(join(ROOT, dirname(file), path)) || inside(join(ROOT, path));
}
