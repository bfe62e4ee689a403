/**
 * Errors that are about the user's input or environment (a corrupt data file, a weights file that
 * does not fit, a backend that cannot load, a diverged run) extend UserError: printed as one clear
 * message, never a stack trace. Anything else is a bug and main reports it as an internal error.
 */
import { UserError } from '../../runtime/errors.ts';

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
