/**
 * The one error type of weight import and export. Bad user input (a corrupt file, a missing or
 * mis-shaped tensor) throws a WeightsError whose message names the file and, when there is one,
 * the tensor; the CLI prints the message alone, never a stack trace.
 */

import { UserError } from '../errors.ts';

export type WeightsErrorKind =
  | 'io' // the file cannot be read or written
  | 'format' // the container is corrupt, truncated or unsupported
  | 'dtype' // a tensor's element type is not supported
  | 'missing' // tensors the naming scheme needs are absent
  | 'unexpected' // tensors nobody asked for are present (strict loading)
  | 'shape'; // a tensor's shape disagrees with the architecture

export class WeightsError extends UserError {
  override readonly name = 'WeightsError';
  constructor(
    readonly kind: WeightsErrorKind,
    override readonly file: string,
    readonly problem: string,
    readonly tensor?: string,
  ) {
    super(problem, { file, place: tensor === undefined ? undefined : `tensor '${tensor}'` });
  }
}

export function isWeightsError(error: unknown): error is WeightsError {
  return error instanceof WeightsError;
}
