/**
 * Quick fixes for did-you-mean diagnostics: the compiler ends such messages with
 * "Did you mean 'x'?" and points the diagnostic at the misspelt name (or the name it is part of);
 * the fix replaces that name, the first quoted word of the message found in the range, by the
 * suggestion.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

const suggestion = /Did you mean '([^']+)'\?/;

export function quickFixes(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  return diagnostics.flatMap((d): CodeAction[] => {
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    const better = suggestion.exec(message)?.[1];
    if (!better) return [];
    const start = document.offsetAt(d.range.start);
    const text = document.getText(d.range);
    const quoted = [...message.slice(0, message.search(suggestion)).matchAll(/'([A-Za-z_][A-Za-z0-9_]*)'/g)].map(
      (m) => m[1]!,
    );
    for (const wrong of quoted) {
      const at = new RegExp(`\\b${wrong}\\b`).exec(text);
      if (!at) continue;
      const edit: TextEdit = {
        range: {
          start: document.positionAt(start + at.index),
          end: document.positionAt(start + at.index + wrong.length),
        },
        newText: better,
      };
      return [
        {
          title: `Change '${wrong}' to '${better}'`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          edit: { changes: { [document.uri]: [edit] } },
        },
      ];
    }
    return [];
  });
}
