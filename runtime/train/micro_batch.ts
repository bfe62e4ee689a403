/**
 * Gradient accumulation's split: a step's batch stays the effective batch (the plan's `batch`),
 * and each stream is cut into micro-batches of at most `micro` rows that run one after another.
 * The k-th micro-batch takes the k-th slice of every stream. Every loss is a mean over its
 * stream's rows, so a micro-batch's loss weighted by its share of the stream (rows / batch)
 * sums, over the micro-batches, to the whole batch's loss, and so do the gradients.
 */

/** Rows [start, end) of a stream's batch, and their share of it. */
export interface RowRange {
  readonly start: number;
  readonly end: number;
  /** (end - start) / batch size: the weight of a mean over these rows in the whole batch's mean. */
  readonly share: number;
}

/** `size` rows in micro-batches of at most `micro` rows, in order. */
export function rowRanges(size: number, micro: number): RowRange[] {
  if (!(Number.isInteger(micro) && micro >= 1))
    throw new Error(`a micro-batch must be a positive integer, got ${micro}`);
  const ranges: RowRange[] = [];
  for (let start = 0; start < size; start += micro) {
    const end = Math.min(size, start + micro);
    ranges.push({ start, end, share: (end - start) / size });
  }
  return ranges;
}

/**
 * The micro-batches of a step over streams of the given sizes: each a map from stream to its rows
 * (a stream shorter than the others is absent from the last micro-batches). Without `micro`, one
 * micro-batch holds every row.
 */
export function microBatches<K>(sizes: ReadonlyMap<K, number>, micro?: number): Map<K, RowRange>[] {
  const largest = Math.max(1, ...sizes.values());
  const perStream = [...sizes].map(([name, size]) => [name, rowRanges(size, micro ?? largest)] as const);
  const count = Math.max(1, ...perStream.map(([, ranges]) => ranges.length));
  return Array.from(
    { length: count },
    (_, k) => new Map(perStream.filter(([, ranges]) => k < ranges.length).map(([name, ranges]) => [name, ranges[k]!])),
  );
}
