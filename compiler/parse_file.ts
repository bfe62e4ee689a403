/**
 * The front end's one entry point: source text to AST plus every lex and parse diagnostic
 * (tokenize -> parse -> lower). Never throws on bad input: a broken file still yields an AST,
 * with `Error` nodes where the parser had to recover.
 */
import { parse, tokenize, withoutRepeatedOffsets } from '../grammar/parse.ts';
import type { SourceFile } from './ast.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { lower } from './lower.ts';

export interface ParsedFile {
  readonly ast: SourceFile;
  /** Lex and parse diagnostics in source order, at most one per offset. */
  readonly diagnostics: Diagnostic[];
}

export function parseFile(path: string, text: string): ParsedFile {
  const lexed = tokenize(text, path);
  const parsed = parse(lexed.tokens, text, path);
  const ast = lower(parsed.cst, text, path);
  const diagnostics = withoutRepeatedOffsets([...lexed.diagnostics, ...parsed.diagnostics]);
  return { ast, diagnostics: diagnostics.sort((a, b) => a.span.start - b.span.start) };
}
