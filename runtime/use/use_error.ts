/** A problem with what `lpt predict` or `lpt evaluate` was asked to do: printed as one message, exit status 1. */
import { UserError } from '../errors.ts';

export class UseError extends UserError {
  override readonly name = 'UseError';
}
