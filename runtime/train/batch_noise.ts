/**
 * GCL's cloud noise for one stream of one step, split into micro-batches: each draw is made for
 * the whole batch (row-major from the stream's generator, exactly what an unsplit step draws) and
 * a micro-batch reads its own rows, so every image gets the same noise however the step is split.
 * The j-th draw of a micro-batch's forward pass reads the j-th whole-batch draw (two noisy terms
 * on one stream draw twice, as they would unsplit).
 */
import { GCL_NOISE_STD, type NoiseSource } from './losses/gcl.ts';
import type { RowRange } from './micro_batch.ts';
import { normalArray, type Rng } from './rng.ts';

/** A fresh noise source for each forward pass over `range` (call it inside the pass). */
export type RowNoise = (range: RowRange) => NoiseSource;

export function batchNoise(rng: Rng, batchSize: number): RowNoise {
  const draws: Float32Array[] = [];
  const whole = (j: number, classes: number): Float32Array => {
    while (draws.length <= j) draws.push(normalArray(rng, batchSize * classes, GCL_NOISE_STD));
    const draw = draws[j]!;
    if (draw.length !== batchSize * classes)
      throw new Error(`GCL noise was drawn for ${draw.length / batchSize} classes, now read for ${classes}`);
    return draw;
  };
  return (range) => {
    let next = 0;
    return {
      rows: (rows, classes) => {
        if (rows !== range.end - range.start)
          throw new Error(`GCL noise for rows ${range.start}..${range.end} read for ${rows} rows`);
        return whole(next++, classes).subarray(range.start * classes, range.end * classes);
      },
    };
  };
}
