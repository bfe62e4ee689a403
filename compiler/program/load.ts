/**
 * Loads a program: the root file and, transitively, every file it imports
 * (`import "presets/vit_b16.lpt"`, relative to the importing file), each parsed once. A missing
 * import is a diagnostic at the import string. Files are read only through the host.
 */
import type { SourceFile } from '../ast.ts';
import { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { CompilerHost } from '../host.ts';
import { Messages } from '../../diagnostics/messages.ts';
import { resolveFrom } from './paths.ts';

export type ParseFn = (path: string, text: string) => { ast: SourceFile; diagnostics: Diagnostic[] };

export interface Program {
  /** Absolute path of the root file. */
  readonly root: string;
  /** Every loaded file by absolute path, the root first, then imports depth-first. */
  readonly files: ReadonlyMap<string, SourceFile>;
  readonly diagnostics: readonly Diagnostic[];
}

/** `root` must be absolute. When the root itself cannot be read, `files` is empty. */
export function loadProgram(root: string, host: CompilerHost, parse: ParseFn): Program {
  const files = new Map<string, SourceFile>();
  const bag = new DiagnosticBag();

  const visit = (path: string): void => {
    const text = host.readFile(path);
    if (text === undefined) return;
    const parsed = parse(path, text);
    files.set(path, parsed.ast);
    bag.addAll(parsed.diagnostics);
    for (const statement of parsed.ast.statements) {
      if (statement.kind !== 'Property' || statement.keyword.name !== 'import') continue;
      const [target, ...extra] = statement.values;
      if (target?.kind !== 'String' || extra.length > 0) {
        bag.report(Messages.WrongStatementShape, statement.span, [
          'import',
          'import "FILE"',
          'import "presets/vit_b16.lpt"',
        ]);
        continue;
      }
      const imported = resolveFrom(path, target.value);
      if (files.has(imported)) continue;
      if (host.readFile(imported) === undefined) {
        bag.report(Messages.ImportNotFound, target.span, [target.value]);
        continue;
      }
      visit(imported);
    }
  };

  visit(root);
  return { root, files, diagnostics: bag.items };
}
