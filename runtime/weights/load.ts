/**
 * Loading a frozen backbone: read the container, map names to the canonical scheme, refuse
 * missing (and, unless allowed, unexpected) tensors, infer and check the architecture. Returns
 * plain float32 arrays under canonical names; the model turns them into frozen tf variables.
 * `saveBackboneWeights` writes the canonical form back, with the architecture facts that shapes
 * cannot show (activation, eps, heads) in the file's metadata, so an `lpt` file reloads exactly.
 */
import { WeightsError } from './errors.ts';
import { WEIGHT_NAMINGS, type WeightFormat, type WeightNaming } from '../../plan/enums.ts';
import { readWeightFile, saveWeights } from './format.ts';
import { inferArchitecture, type ArchitectureOverrides, type BackboneArchitecture } from './infer.ts';
import { toCanonical } from './naming/index.ts';
import type { Activation, SchemeHints } from './naming/scheme.ts';
import type { FloatTensors, NamedTensors } from './tensor.ts';

export interface LoadBackboneOptions extends ArchitectureOverrides {
  readonly naming: WeightNaming;
  /** Default: from the extension (or the first bytes). */
  readonly format?: WeightFormat;
  /** Accept tensors that no rule uses (default: they are an error, as in strict PyTorch loading). */
  readonly allowUnexpected?: boolean;
}

export interface BackboneWeights {
  readonly config: BackboneArchitecture;
  /** Canonical names (see naming/lpt.ts), float32, PyTorch layouts. */
  readonly tensors: FloatTensors;
  /** Source names dropped on purpose (classifier heads, a text tower) and tolerated extras. */
  readonly ignored: readonly string[];
  readonly unexpected: readonly string[];
}

const metadataKeys = { heads: 'lpt.heads', activation: 'lpt.activation', layerNormEps: 'lpt.layer_norm_eps' } as const;

export function loadBackboneWeights(path: string, options: LoadBackboneOptions): BackboneWeights {
  const file = readWeightFile(path, options.format);
  const mapped = toCanonical(file.tensors, options.naming, path);
  if (mapped.missing.length > 0) {
    const guess = guessNaming(file.tensors, options.naming, path);
    const hint = guess ? ` (the names look like --naming ${guess})` : '';
    throw new WeightsError(
      'missing',
      path,
      `lacks ${count(mapped.missing, 'tensor')} that '${options.naming}' naming needs: ${list(mapped.missing)}${hint}`,
    );
  }
  if (mapped.unexpected.length > 0 && !options.allowUnexpected) {
    throw new WeightsError(
      'unexpected',
      path,
      `holds ${count(mapped.unexpected, 'tensor')} that '${options.naming}' naming does not use: ${list(mapped.unexpected)}`,
    );
  }
  const hints: SchemeHints = { ...mapped.hints, ...hintsFromMetadata(file.metadata, path) };
  const config = inferArchitecture(
    { tensors: mapped.tensors, depth: mapped.depth, sources: mapped.sources, hints, file: path },
    options,
  );
  return { config, tensors: mapped.tensors, ignored: mapped.ignored, unexpected: mapped.unexpected };
}

/** Write canonical (`lpt` naming) weights; the format comes from the extension unless given. */
export function saveBackboneWeights(
  path: string,
  weights: Pick<BackboneWeights, 'config' | 'tensors'>,
  format?: WeightFormat,
): void {
  const metadata = {
    [metadataKeys.heads]: String(weights.config.heads),
    [metadataKeys.activation]: weights.config.activation,
    [metadataKeys.layerNormEps]: String(weights.config.layerNormEps),
  };
  saveWeights(path, weights.tensors as NamedTensors, format, metadata);
}

function hintsFromMetadata(metadata: Readonly<Record<string, string>>, path: string): SchemeHints {
  const hints: { heads?: number; activation?: Activation; layerNormEps?: number } = {};
  const heads = metadata[metadataKeys.heads];
  const activation = metadata[metadataKeys.activation];
  const eps = metadata[metadataKeys.layerNormEps];
  if (heads !== undefined) hints.heads = Number(heads);
  if (activation !== undefined) {
    if (activation !== 'gelu' && activation !== 'quick_gelu')
      throw new WeightsError(
        'format',
        path,
        `metadata ${metadataKeys.activation} '${activation}' is not gelu or quick_gelu`,
      );
    hints.activation = activation;
  }
  if (eps !== undefined) hints.layerNormEps = Number(eps);
  if ([hints.heads, hints.layerNormEps].some((v) => v !== undefined && !Number.isFinite(v))) {
    throw new WeightsError('format', path, 'metadata lpt.heads / lpt.layer_norm_eps is not a number');
  }
  return hints;
}

/** Another scheme under which nothing is missing, to suggest when the given one fails; only on the error path. */
function guessNaming(raw: NamedTensors, tried: WeightNaming, path: string): WeightNaming | undefined {
  const fits = WEIGHT_NAMINGS.flatMap((naming) => {
    if (naming === tried) return [];
    try {
      const mapped = toCanonical(raw, naming, path);
      return mapped.depth > 0 && mapped.missing.length === 0 ? [{ naming, extra: mapped.unexpected.length }] : [];
    } catch {
      return [];
    }
  });
  return fits.sort((a, b) => a.extra - b.extra)[0]?.naming;
}

function count(names: readonly string[], noun: string): string {
  return `${names.length} ${noun}${names.length === 1 ? '' : 's'}`;
}

/** The first few names; a whole missing model would otherwise print hundreds. */
function list(names: readonly string[]): string {
  const shown = names
    .slice(0, 8)
    .map((n) => `'${n}'`)
    .join(', ');
  return names.length > 8 ? `${shown}, and ${names.length - 8} more` : shown;
}
