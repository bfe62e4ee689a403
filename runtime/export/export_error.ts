/** A problem with what `lpt export` was asked to export: printed as one message, exit status 1. */
import { UserError } from '../errors.ts';

export class ExportError extends UserError {
  override readonly name = 'ExportError';
}
