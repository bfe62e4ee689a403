/**
 * The results.json contract (docs/RUN_DIRECTORY.md): the run directory writes it after every
 * finished variant, `lpt report` and `--resume` read it back. Its JSON Schema is built from typed
 * fragments, so tsc proves schema and file type agree; every write and every read is validated.
 * In the file a shot group without classes has a null accuracy; in memory it is NaN.
 */
import { Ajv } from 'ajv';
import { arr, assertSchemaType, count, num, nullable, obj, objWithOptional, str, type Schema } from './typed_schema.ts';

/** Percentages; NaN for a group without classes. */
export interface ResultAccuracy {
  readonly overall: number;
  readonly many: number;
  readonly medium: number;
  readonly few: number;
}

export interface PerClassRow {
  readonly class: number;
  readonly trainImages: number;
  readonly testImages: number;
  readonly correct: number;
  /** NaN for a class without test images. */
  readonly accuracy: number;
}

export interface VariantResults {
  /** The row's display name: the variant's name, or the experiment's label or name. */
  readonly variant: string;
  readonly planHash?: string;
  readonly trainableParams: number;
  readonly backboneParams: number;
  readonly accuracy: ResultAccuracy;
  readonly trainCounts: readonly number[];
  readonly perClass: readonly PerClassRow[];
  readonly seconds?: number;
  /** The split the accuracies are measured on ("test", "val"); absent in files of older versions. */
  readonly split?: string;
  /** One seed of several of one row (the plan's `replicateOf`): the row's name, shared by its seeds. */
  readonly row?: string;
  /** With `row`: this seed. */
  readonly seed?: number;
  /** On webgpu: the most GPU bytes allocated (live and pooled) at a step's end or the run's end. */
  readonly gpuPeakBytes?: number;
}

export interface RunResults {
  readonly experiment: string;
  readonly boundaries: string;
  readonly variants: readonly VariantResults[];
  /**
   * `lpt run --smoke --synthetic`: one line per input that a random stand-in replaced (weights,
   * images, class names). Present only then: the numbers come from random inputs.
   */
  readonly synthetic?: readonly string[];
}

// ---- The file form: NaN is null; fields added after the first release are optional. ----------

type Percent = number | null;

export interface ResultsFile {
  readonly experiment: string;
  readonly boundaries?: string;
  readonly variants: readonly VariantResultsFile[];
  readonly synthetic?: readonly string[];
}

export interface VariantResultsFile {
  readonly variant: string;
  readonly planHash?: string;
  readonly trainableParams: number;
  readonly backboneParams: number;
  readonly accuracy: {
    readonly overall: Percent;
    readonly many: Percent;
    readonly medium: Percent;
    readonly few: Percent;
  };
  readonly trainCounts?: readonly number[];
  readonly perClass?: readonly PerClassRowFile[];
  readonly seconds?: number;
  readonly split?: string;
  readonly row?: string;
  readonly seed?: number;
  readonly gpuPeakBytes?: number;
}

export interface PerClassRowFile {
  readonly class: number;
  readonly trainImages: number;
  readonly testImages: number;
  readonly correct: number;
  readonly accuracy: Percent;
}

const percent = nullable(num);
const perClassRow = obj({ class: count, trainImages: count, testImages: count, correct: count, accuracy: percent });
const variant = objWithOptional(
  {
    variant: str,
    trainableParams: count,
    backboneParams: count,
    accuracy: obj({ overall: percent, many: percent, medium: percent, few: percent }),
  },
  {
    planHash: str,
    trainCounts: arr(count),
    perClass: arr(perClassRow),
    seconds: num,
    split: str,
    row: str,
    seed: count,
    gpuPeakBytes: count,
  },
);

export const resultsSchema: Schema<ResultsFile> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'lpt run results (results.json)',
  ...assertSchemaType<ResultsFile>()(
    objWithOptional({ experiment: str, variants: arr(variant) }, { boundaries: str, synthetic: arr(str) }),
  ),
};

const ajv = new Ajv({ allErrors: true, strict: true });
const validateFile = ajv.compile<ResultsFile>(resultsSchema);

export type ParsedResults =
  { readonly ok: true; readonly results: RunResults } | { readonly ok: false; readonly message: string };

/** "/variants/0/accuracy/overall" -> "variants[0].accuracy.overall" */
function fieldName(instancePath: string): string {
  const path = instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
  return path === '' ? 'the file' : path.slice(path.startsWith('.') ? 1 : 0);
}

function problems(): string {
  return (validateFile.errors ?? [])
    .map((e) => {
      const missing = e.keyword === 'required' ? `.${String(e.params['missingProperty'])}` : '';
      return `${fieldName(e.instancePath)}${missing} ${e.keyword === 'required' ? 'is missing' : e.message}`;
    })
    .join('; ');
}

const fromPercent = (value: Percent): number => (value === null ? NaN : value);
const toPercent = (value: number): Percent => (Number.isNaN(value) ? null : value);

/** Parses and checks results.json text; the message names the field (the caller adds the file name). */
export function parseRunResults(text: string): ParsedResults {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not valid JSON (${(error as Error).message})` };
  }
  if (!validateFile(json)) return { ok: false, message: problems() };
  return {
    ok: true,
    results: {
      experiment: json.experiment,
      boundaries: json.boundaries ?? '',
      ...(json.synthetic === undefined ? {} : { synthetic: json.synthetic }),
      variants: json.variants.map((v) => ({
        ...v,
        accuracy: {
          overall: fromPercent(v.accuracy.overall),
          many: fromPercent(v.accuracy.many),
          medium: fromPercent(v.accuracy.medium),
          few: fromPercent(v.accuracy.few),
        },
        trainCounts: v.trainCounts ?? [],
        perClass: (v.perClass ?? []).map((row) => ({ ...row, accuracy: fromPercent(row.accuracy) })),
      })),
    },
  };
}

/** results.json text for `results`, checked against the schema first: an invalid file is never written. */
export function serializeRunResults(results: RunResults): string {
  const file: ResultsFile = {
    experiment: results.experiment,
    boundaries: results.boundaries,
    ...(results.synthetic === undefined ? {} : { synthetic: results.synthetic }),
    variants: results.variants.map((v) => ({
      ...v,
      accuracy: {
        overall: toPercent(v.accuracy.overall),
        many: toPercent(v.accuracy.many),
        medium: toPercent(v.accuracy.medium),
        few: toPercent(v.accuracy.few),
      },
      perClass: v.perClass.map((row) => ({ ...row, accuracy: toPercent(row.accuracy) })),
    })),
  };
  if (!validateFile(file)) throw new Error(`refusing to write an invalid results.json (a bug): ${problems()}`);
  return `${JSON.stringify(file, null, 2)}\n`;
}
