/**
 * The one error type of data loading. Bad user input (a missing, truncated or corrupt file, a
 * malformed split-list line, a label out of range) throws a DataError whose message names the
 * file and, for split lists, the line; the CLI prints the message alone, never a stack trace.
 */

import { UserError } from '../errors.ts';

export type DataErrorKind =
  | 'io' // the file cannot be read
  | 'format' // the file is truncated, corrupt or not the expected format
  | 'label' // a label is missing, negative or out of range
  | 'shape' // images disagree in size where they must not
  | 'config'; // the requested operation does not fit the data (e.g. too few images)

export class DataError extends UserError {
  override readonly name = 'DataError';
  constructor(
    readonly kind: DataErrorKind,
    override readonly file: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(problem, { file, place: line });
  }
}

export function isDataError(error: unknown): error is DataError {
  return error instanceof DataError;
}

/** The first line of a library's error, for wrapping into a DataError. */
export function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
