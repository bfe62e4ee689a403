/**
 * The user's text inputs to CLIP embeddings: a file of class names (or texts), one per line,
 * and a prompt template with one `{}` for the name. Problems raise TextInputError naming the
 * file and line (or the template); the CLI and the run print the message alone.
 */
import { UserError } from '../errors.ts';
import { readFileSync } from 'node:fs';

export class TextInputError extends UserError {
  override readonly name = 'TextInputError';
}

export function isTextInputError(error: unknown): error is TextInputError {
  return error instanceof TextInputError;
}

/** Lines of a UTF-8 text file (\n or \r\n; a final newline is optional); an empty line is an error. */
export function readTextLines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TextInputError(
      `${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new TextInputError(`${path}: the file is empty; expected one text per line`);
  lines.forEach((line, i) => {
    if (line.trim() === '')
      throw new TextInputError(`${path}:${i + 1}: empty line; every line must hold one class name (or text)`);
  });
  return lines;
}

/** Exactly one `{}` in the template; `where` names its origin (a flag, a file and line). */
export function checkTemplate(template: string, where: string): void {
  const holes = template.split('{}').length - 1;
  if (holes !== 1)
    throw new TextInputError(
      `${where}: template ${JSON.stringify(template)} must contain exactly one {} for the class name (found ${holes})`,
    );
}

/** The prompt for each name, the name taken as written. */
export function applyTemplate(template: string, names: readonly string[]): string[] {
  return names.map((name) => template.replace('{}', () => name));
}
