/**
 * The naming-scheme engine. A scheme is data: a table of rules, each building one canonical
 * tensor (timm names, PyTorch layouts) from one or more source tensors, plus the prefixes to
 * strip and the names to drop on purpose. `filterWeights` is the pure map -> map filter (in the
 * spirit of timm's checkpoint_filter_fn): it renames, converts layouts, and reports what the
 * table needed but the file lacked (missing) and what the file held but nobody used (unexpected).
 */
import type { Activation, TextNaming, WeightNaming } from '../../../plan/enums.ts';
import { WeightsError } from '../errors.ts';
import { formatShape, type Float32Tensor, type FloatTensors, type HostTensor, type NamedTensors } from '../tensor.ts';

/** Raised by a rule's `convert` when a source tensor has the wrong rank or size. */
export type Fail = (problem: string, tensor: string) => WeightsError;

export interface NameRule {
  /** Canonical name; `{i}` is the block index. */
  readonly canonical: string;
  /** Source names it is built from (after prefix stripping); `{i}` is the block index. */
  readonly sources: readonly string[];
  /** Source tensors -> canonical tensor; without it the single source is taken as is. */
  readonly convert?: (
    inputs: readonly Float32Tensor[],
    names: readonly string[],
    fail: Fail,
    raw: NamedTensors,
  ) => Float32Tensor;
  /** When every source is absent the tensor is simply not produced (e.g. CLIP's ln_pre in lpt files). */
  readonly optional?: boolean;
  /**
   * The other direction (runtime/weights/naming/from_canonical.ts): the canonical tensor -> its source tensors, in
   * `sources` order; null where another rule writes that source. Needed exactly when `convert` is given.
   */
  readonly invert?: (canonical: Float32Tensor, context: InvertContext) => readonly (Float32Tensor | null)[];
}

/** What an inverse needs beyond the canonical tensor (Google's kernels split the heads out). */
export interface InvertContext {
  readonly heads: number;
}

export interface NamingScheme {
  readonly name: WeightNaming | TextNaming;
  /** One line for help texts. */
  readonly description: string;
  /** Matches a source name inside block i; the first capture group is i. */
  readonly blockPattern: RegExp;
  /** Rules outside the blocks. */
  readonly rules: readonly NameRule[];
  /** Rules inside each block, with `{i}`. */
  readonly blockRules: readonly NameRule[];
  /** Prefixes stripped (repeatedly) from every source name before matching, e.g. 'module.'. */
  readonly prefixes: readonly string[];
  /** Source names dropped on purpose (classifier heads, a text tower); listed as ignored. */
  readonly ignore: readonly RegExp[];
  /** Normalisation of the whole map before the table applies (selecting a tower, unstacking). */
  readonly prepare?: (raw: NamedTensors, file: string) => NamedTensors;
  /** What the scheme implies beyond shapes (CLIP: QuickGELU; Google's kernels: the head count). */
  readonly hints?: (raw: NamedTensors) => SchemeHints;
}

export type { Activation };

export interface SchemeHints {
  readonly heads?: number;
  readonly activation?: Activation;
  readonly layerNormEps?: number;
}

export interface FilterResult {
  /** Canonical tensors, in table order. */
  readonly tensors: FloatTensors;
  /** For each canonical name, the source names it came from (for error messages). */
  readonly sources: ReadonlyMap<string, readonly string[]>;
  readonly depth: number;
  /** Source names the table needed and the file lacks. */
  readonly missing: readonly string[];
  /** Source names in the file that no rule used and no ignore pattern covers. */
  readonly unexpected: readonly string[];
  /** Source names dropped on purpose. */
  readonly ignored: readonly string[];
  readonly hints: SchemeHints;
}

export function filterWeights(scheme: NamingScheme, input: NamedTensors, file: string): FilterResult {
  const raw = scheme.prepare
    ? scheme.prepare(stripPrefixes(input, scheme.prefixes), file)
    : stripPrefixes(input, scheme.prefixes);
  const depth = countBlocks(raw, scheme.blockPattern);
  const fail: Fail = (problem, tensor) => new WeightsError('shape', file, problem, tensor);
  const tensors: FloatTensors = new Map();
  const sources = new Map<string, readonly string[]>();
  const used = new Set<string>();
  const missing: string[] = [];

  const apply = (rule: NameRule, index?: number) => {
    const at = (s: string) => (index === undefined ? s : s.replaceAll('{i}', String(index)));
    const names = rule.sources.map(at);
    const absent = names.filter((n) => !raw.has(n));
    names.forEach((n) => raw.has(n) && used.add(n));
    if (absent.length > 0) {
      if (!(rule.optional && absent.length === names.length)) missing.push(...absent);
      return;
    }
    const inputs = names.map((n) => asFloat(raw.get(n)!, n, file));
    const tensor = rule.convert ? rule.convert(inputs, names, fail, raw) : inputs[0]!;
    tensors.set(at(rule.canonical), tensor);
    sources.set(at(rule.canonical), names);
  };
  for (const rule of scheme.rules) apply(rule);
  for (let i = 0; i < depth; i++) for (const rule of scheme.blockRules) apply(rule, i);

  const ignored: string[] = [];
  const unexpected: string[] = [];
  for (const name of raw.keys()) {
    if (used.has(name)) continue;
    (scheme.ignore.some((re) => re.test(name)) ? ignored : unexpected).push(name);
  }
  return {
    tensors,
    sources,
    depth,
    missing: [...new Set(missing)],
    unexpected,
    ignored,
    hints: scheme.hints?.(raw) ?? {},
  };
}

function stripPrefixes(raw: NamedTensors, prefixes: readonly string[]): NamedTensors {
  if (prefixes.length === 0) return raw;
  const out: NamedTensors = new Map();
  for (const [name, tensor] of raw) {
    let stripped = name;
    for (let again = true; again;) {
      const prefix = prefixes.find((p) => stripped.startsWith(p));
      again = prefix !== undefined;
      if (prefix) stripped = stripped.slice(prefix.length);
    }
    out.set(stripped, tensor);
  }
  return out;
}

/** Blocks are numbered 0..depth-1; a gap shows up later as missing tensors of that block. */
function countBlocks(raw: NamedTensors, pattern: RegExp): number {
  let depth = 0;
  for (const name of raw.keys()) {
    const match = pattern.exec(name);
    if (match) depth = Math.max(depth, Number(match[1]) + 1);
  }
  return depth;
}

function asFloat(tensor: HostTensor, name: string, file: string): Float32Tensor {
  if (tensor.dtype !== 'float32')
    throw new WeightsError('dtype', file, `is ${tensor.dtype}, but a float tensor is needed`, name);
  return tensor;
}

/** Assert a source tensor's shape inside a convert (rank and, where given, each dimension). */
export function expectShape(t: Float32Tensor, expected: readonly (number | null)[], name: string, fail: Fail): void {
  const ok = t.shape.length === expected.length && expected.every((d, i) => d === null || d === t.shape[i]);
  if (!ok) {
    const want = `[${expected.map((d) => (d === null ? '?' : d)).join(', ')}]`;
    throw fail(`has shape ${formatShape(t.shape)}, expected ${want}`, name);
  }
}
