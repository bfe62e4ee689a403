/**
 * A cache of LPT queries q(x) by dataset index (lever (e) of docs/PERFORMANCE.md). After phase 1
 * the query is a fixed function of the image: the backbone and the shared prompt are frozen in
 * phase 2 and later, so the query pass (a whole extra backbone pass per image and step) needs to
 * run once per image, not once per epoch. The cache stores rows on the host (size x dim floats,
 * e.g. 60k x 192 = 46 MB) and hands out fresh tensors.
 *
 * Valid only while everything the query depends on is frozen and the image fed to the query
 * pass is the same every time it is asked for (the un-augmented image, or a deterministic view of
 * it): the caller decides both, creates one cache per phase, and calls `clear()` if either
 * changes. Typical use in a phase-2 step:
 *   const q = await cache.lookup(batch.indices, (m) => tf.tidy(() => forwardQuery(model, tf.gather(xPlain, m.positions))));
 */
import * as tf from '@tensorflow/tfjs-core';

export interface MissingQueries {
  /** Positions in the batch whose query is not stored yet (increasing). */
  readonly positions: Int32Array;
  /** Their dataset indices. */
  readonly indices: Int32Array;
}

export interface QueryCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly stored: number;
}

export class QueryCacheError extends Error {
  override readonly name = 'QueryCacheError';
}

export class QueryCache {
  readonly size: number;
  readonly dim: number;
  private readonly rows: Float32Array;
  private readonly filled: Uint8Array;
  private hits = 0;
  private misses = 0;
  private stored = 0;

  /** `size`: dataset images (indices 0 .. size-1); `dim`: query width. */
  constructor(size: number, dim: number) {
    if (!Number.isInteger(size) || size < 0 || !Number.isInteger(dim) || dim < 1) {
      throw new QueryCacheError(`query cache needs a whole size >= 0 and dim >= 1, got size ${size}, dim ${dim}`);
    }
    this.size = size;
    this.dim = dim;
    this.rows = new Float32Array(size * dim);
    this.filled = new Uint8Array(size);
  }

  has(index: number): boolean {
    return this.filled[index] === 1;
  }

  /**
   * Queries [B, D] of the images with these dataset indices. Those not stored yet come from
   * `compute(missing)`, which returns their queries [M, D] in the order of `missing`; the cache
   * reads and disposes that tensor. The result is a new tensor the caller owns.
   */
  async lookup(indices: ArrayLike<number>, compute: (missing: MissingQueries) => tf.Tensor): Promise<tf.Tensor2D> {
    const batch = indices.length;
    const positions: number[] = [];
    for (let i = 0; i < batch; i++) {
      const index = indices[i]!;
      if (!Number.isInteger(index) || index < 0 || index >= this.size) {
        throw new QueryCacheError(`query cache: dataset index ${index} is outside 0..${this.size - 1}`);
      }
      if (this.filled[index] !== 1) positions.push(i);
    }
    if (positions.length > 0) await this.store(indices, Int32Array.from(positions), compute);
    this.hits += batch - positions.length;
    this.misses += positions.length;
    const out = new Float32Array(batch * this.dim);
    for (let i = 0; i < batch; i++) {
      const start = indices[i]! * this.dim;
      out.set(this.rows.subarray(start, start + this.dim), i * this.dim);
    }
    return tf.tensor2d(out, [batch, this.dim]);
  }

  private async store(
    indices: ArrayLike<number>,
    positions: Int32Array,
    compute: (missing: MissingQueries) => tf.Tensor,
  ): Promise<void> {
    const missing = { positions, indices: positions.map((p) => indices[p]!) };
    const computed = compute(missing);
    try {
      if (computed.rank !== 2 || computed.shape[0] !== positions.length || computed.shape[1] !== this.dim) {
        throw new QueryCacheError(
          `query cache: compute returned [${computed.shape.join(', ')}], expected [${positions.length}, ${this.dim}]`,
        );
      }
      // data(), not dataSync(): the webgpu backend can only read asynchronously in Node.
      const values = (await computed.data()) as Float32Array;
      missing.indices.forEach((index, j) => {
        if (this.filled[index] !== 1) this.stored++;
        this.rows.set(values.subarray(j * this.dim, (j + 1) * this.dim), index * this.dim);
        this.filled[index] = 1;
      });
    } finally {
      computed.dispose();
    }
  }

  stats(): QueryCacheStats {
    return { hits: this.hits, misses: this.misses, stored: this.stored };
  }

  /** Forgets every stored query (the shared prompt or the query image changed). */
  clear(): void {
    this.filled.fill(0);
    this.stored = 0;
  }
}
