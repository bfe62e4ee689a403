/**
 * The base of every error about the user's input or environment (a corrupt data file, weights
 * that do not fit, a backend that cannot load, a diverged run, a locked run directory): the CLI
 * prints its message alone and exits 1, never with a stack trace. Any error that is not a
 * UserError is a bug, reported as an internal error. A new user-facing error extends this class
 * and is recognised as such with no list to update.
 *
 * Imports nothing, so any module of the runtime or the CLI may throw one.
 */

/** Where the problem is: the file at fault and, within it, a line number or a named place (a tensor, a setting). */
export interface ErrorLocation {
  readonly file?: string;
  readonly place?: string | number;
}

export class UserError extends Error {
  override readonly name: string = 'UserError';
  readonly file: string | undefined;
  /** A line number (printed "file:12") or a named place (printed "file: tensor 'w'"). */
  readonly place: string | number | undefined;
  /** The problem, as a clause, without the location. */
  readonly reason: string;

  constructor(reason: string, location: ErrorLocation = {}) {
    super(locatedMessage(reason, location));
    this.file = location.file;
    this.place = location.place;
    this.reason = reason;
  }
}

/** "file:12: reason", "file: tensor 'w': reason", "place: reason" or the reason alone. */
function locatedMessage(reason: string, { file, place }: ErrorLocation): string {
  const where =
    typeof place === 'number'
      ? `${file ?? ''}:${place}`
      : [file, place].filter((part): part is string => part !== undefined).join(': ');
  return where === '' ? reason : `${where}: ${reason}`;
}
