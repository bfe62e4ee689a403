/**
 * The shape of a run directory's results.json (docs/RUN_DIRECTORY.md) and a checked parse of it:
 * a report reads files written by older or interrupted runs, so every field is checked and a
 * problem comes back as a message naming the field, never as a stack trace.
 */
import type { ShotAccuracy } from '../events.ts';

export interface PerClassRow {
  readonly class: number;
  readonly trainImages: number;
  readonly testImages: number;
  readonly correct: number;
  readonly accuracy: number;
}

export interface VariantResults {
  readonly variant: string;
  readonly planHash?: string;
  readonly trainableParams: number;
  readonly backboneParams: number;
  /** Percentages; a group without classes is NaN (null in the file). */
  readonly accuracy: ShotAccuracy;
  readonly trainCounts: readonly number[];
  readonly perClass: readonly PerClassRow[];
  readonly seconds?: number;
}

export interface RunResults {
  readonly experiment: string;
  readonly boundaries: string;
  readonly variants: readonly VariantResults[];
}

export type ParsedResults =
  | { readonly ok: true; readonly results: RunResults }
  | { readonly ok: false; readonly message: string };

class FieldError extends Error {}

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FieldError(`${where} is not an object`);
  return value as Json;
}

function string(obj: Json, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw new FieldError(`${where}.${key} is missing or not a string`);
  return value;
}

function number(obj: Json, key: string, where: string): number {
  const value = obj[key];
  if (value === null) return NaN;
  if (typeof value !== 'number') throw new FieldError(`${where}.${key} is missing or not a number`);
  return value;
}

function array(obj: Json, key: string, where: string, optional = false): unknown[] {
  const value = obj[key];
  if (value === undefined && optional) return [];
  if (!Array.isArray(value)) throw new FieldError(`${where}.${key} is missing or not an array`);
  return value;
}

function parseVariant(value: unknown, where: string): VariantResults {
  const v = object(value, where);
  const acc = object(v.accuracy, `${where}.accuracy`);
  const accWhere = `${where}.accuracy`;
  const trainCounts = array(v, 'trainCounts', where, true).map((n, i) => {
    if (typeof n !== 'number') throw new FieldError(`${where}.trainCounts[${i}] is not a number`);
    return n;
  });
  const perClass = array(v, 'perClass', where, true).map((row, i): PerClassRow => {
    const rowWhere = `${where}.perClass[${i}]`;
    const r = object(row, rowWhere);
    return {
      class: number(r, 'class', rowWhere),
      trainImages: number(r, 'trainImages', rowWhere),
      testImages: number(r, 'testImages', rowWhere),
      correct: number(r, 'correct', rowWhere),
      accuracy: number(r, 'accuracy', rowWhere),
    };
  });
  return {
    variant: string(v, 'variant', where),
    ...(typeof v.planHash === 'string' ? { planHash: v.planHash } : {}),
    trainableParams: number(v, 'trainableParams', where),
    backboneParams: number(v, 'backboneParams', where),
    accuracy: {
      overall: number(acc, 'overall', accWhere),
      many: number(acc, 'many', accWhere),
      medium: number(acc, 'medium', accWhere),
      few: number(acc, 'few', accWhere),
    },
    trainCounts,
    perClass,
    ...(typeof v.seconds === 'number' ? { seconds: v.seconds } : {}),
  };
}

/** Parses results.json text; the message says what is wrong (the caller adds the file name). */
export function parseRunResults(text: string): ParsedResults {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not valid JSON (${(error as Error).message})` };
  }
  try {
    const root = object(json, 'the file');
    const variants = array(root, 'variants', 'results').map((v, i) => parseVariant(v, `variants[${i}]`));
    return {
      ok: true,
      results: {
        experiment: string(root, 'experiment', 'results'),
        boundaries: typeof root.boundaries === 'string' ? root.boundaries : '',
        variants,
      },
    };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, message: error.message };
    throw error;
  }
}
