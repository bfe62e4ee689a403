/**
 * Read-ahead over a predictable sequence of loads: taking the value for one key starts loading
 * the next `depth` keys, so the worker pool decodes the following batches while the caller
 * trains on this one. Values are plain data (never tensors), so an unused read-ahead (the end
 * of a phase, a jump after a resume) is simply dropped. A failed read-ahead fails when taken.
 */
export class Prefetcher<K, V> {
  private readonly ahead = new Map<string, Promise<V>>();

  constructor(
    private readonly load: (key: K) => Promise<V>,
    private readonly next: (key: K) => K,
    private readonly id: (key: K) => string,
    readonly depth: number,
  ) {}

  take(key: K): Promise<V> {
    const value = this.ahead.get(this.id(key)) ?? this.load(key);
    const window = new Map<string, Promise<V>>();
    let k = key;
    for (let d = 0; d < this.depth; d++) {
      k = this.next(k);
      const id = this.id(k);
      window.set(id, this.ahead.get(id) ?? quiet(this.load(k)));
    }
    this.ahead.clear();
    for (const [id, p] of window) this.ahead.set(id, p);
    return value;
  }
}

/** The same promise, marked handled so that a read-ahead nobody takes is not an unhandled rejection. */
function quiet<V>(promise: Promise<V>): Promise<V> {
  promise.catch(() => undefined);
  return promise;
}
