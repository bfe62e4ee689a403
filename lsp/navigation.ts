/**
 * Go to definition (declared names, phases, splits, experiments and presets, imported files) and
 * document symbols (experiments, presets, ablations and their variants, phases, declarations,
 * data splits, evaluations).
 */
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import type { SourceFile, Statement } from '../compiler/ast.ts';
import { resolveFrom } from '../compiler/program/paths.ts';
import type { Span } from '../diagnostics/span.ts';
import { dotted, nameOf, type ProgramIndex } from './program.ts';
import { locate } from './syntax.ts';
import { stringAt, wordAt } from './words.ts';

/** The span of what the name at `offset` refers to; for an import, the start of the imported file. */
export function definition(file: SourceFile, offset: number, program: ProgramIndex): Span | undefined {
  const quoted = stringAt(file.text, offset);
  if (quoted) {
    const statement = file.statements.find((s) => s.span.start <= quoted.start && quoted.end <= s.span.end);
    if (
      statement?.kind === 'Property' &&
      statement.keyword.name === 'import' &&
      statement.values[0]?.kind === 'String'
    ) {
      const target = resolveFrom(file.path, statement.values[0].value);
      return program.files.has(target) ? { file: target, start: 0, end: 0 } : undefined;
    }
    return undefined;
  }
  const word = wordAt(file.text, offset);
  if (!word) return undefined;
  const located = locate(file, offset);
  const inLink =
    located.statement?.kind === 'Block' &&
    located.statement.links.some((l) => l.span.start <= offset && offset <= l.span.end && l.connector.name !== 'after');
  if (!inLink) {
    const member = [...program.visibleFrom(located.blocks)]
      .reverse()
      .find((m) => m.name === word.name || m.name.split('.')[0] === word.name);
    if (member) return member.nameSpan;
  }
  return program.topLevel.get(word.name)?.nameSpan;
}

export function documentSymbols(
  file: SourceFile,
  lineRange: (span: Span) => DocumentSymbol['range'],
): DocumentSymbol[] {
  const symbolsOf = (statements: readonly Statement[]): DocumentSymbol[] =>
    statements.flatMap((statement): DocumentSymbol[] => {
      if (statement.kind === 'Declaration') {
        return [
          symbol(
            dotted(statement.name),
            statement.keyword.name,
            SymbolKind.Variable,
            statement.span,
            statement.name.span,
          ),
        ];
      }
      if (statement.kind === 'Assignment')
        return [symbol(dotted(statement.target), 'split', SymbolKind.Field, statement.span, statement.target.span)];
      if (statement.kind !== 'Block') return [];
      const name = statement.name ? nameOf(statement.name) : statement.keyword.name;
      const kind = kinds[statement.keyword.name] ?? SymbolKind.Object;
      return [
        {
          ...symbol(name, statement.keyword.name, kind, statement.span, (statement.name ?? statement.keyword).span),
          children: symbolsOf(statement.body),
        },
      ];
    });
  const symbol = (name: string, detail: string, kind: SymbolKind, span: Span, nameSpan: Span): DocumentSymbol =>
    DocumentSymbol.create(name, detail, kind, lineRange(span), lineRange(nameSpan));
  return symbolsOf(file.statements);
}

const kinds: Readonly<Record<string, SymbolKind>> = {
  experiment: SymbolKind.Class,
  preset: SymbolKind.Interface,
  ablation: SymbolKind.Namespace,
  variant: SymbolKind.Struct,
  phase: SymbolKind.Event,
  data: SymbolKind.Module,
  evaluate: SymbolKind.Method,
};
