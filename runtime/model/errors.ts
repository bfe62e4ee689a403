/**
 * The model's error type for bad configurations (a ViT whose dim is not divisible by its heads,
 * a prompt on a block that does not exist). Messages name the offending field; callers print the
 * message alone. Bad weight files raise the weights module's WeightsError instead.
 */

import { UserError } from '../errors.ts';

export class ModelConfigError extends UserError {
  override readonly name = 'ModelConfigError';
  constructor(
    readonly what: string,
    readonly problems: readonly string[],
  ) {
    super(problems.join('; '), { place: what });
  }
}

/** Throws a ModelConfigError listing every problem at once, or returns when there is none. */
export function assertNoProblems(what: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new ModelConfigError(what, problems);
}

/** Block indices are 0-based, sorted, distinct and inside [0, depth). */
export function checkLayers(field: string, layers: readonly number[], depth: number): string[] {
  const problems: string[] = [];
  if (layers.length === 0) problems.push(`${field} is empty`);
  layers.forEach((layer, i) => {
    if (!Number.isInteger(layer) || layer < 0 || layer >= depth) {
      problems.push(`${field}[${i}] = ${layer} is not a block index in 0..${depth - 1}`);
    } else if (i > 0 && layer <= (layers[i - 1] ?? -1)) {
      problems.push(`${field} must be strictly increasing (got ${layers.join(', ')})`);
    }
  });
  return problems;
}

export function checkPositiveInt(field: string, value: number): string[] {
  return Number.isInteger(value) && value > 0 ? [] : [`${field} must be a positive integer (got ${value})`];
}
