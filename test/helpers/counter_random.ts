/**
 * A counter-based generator that PyTorch fixtures reproduce exactly (numpy, in
 * scripts/fixtures/make_paper_shape_fixtures.py), so that a fixture at the paper's shapes stores a
 * tensor's name instead of its 86 M numbers:
 *   stream(name) = FNV-1a 32-bit hash of the name's UTF-8 bytes
 *   bits(name, i) = lowbias32((i + stream(name) * 0x9E3779B9) mod 2^32)
 *   value = float32(offset + scale * ((bits >> 8) / 2^24 * 2 - 1))
 * Every step is integer arithmetic mod 2^32 or one float64 expression rounded once, so both sides
 * give the same float32 bits.
 */

function stream(name: string): number {
  let h = 2166136261;
  for (const byte of new TextEncoder().encode(name)) h = Math.imul(h ^ byte, 16777619) >>> 0;
  return h;
}

function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** `count` values uniform in [offset - scale, offset + scale), the stream of `name`. */
export function counterUniform(name: string, count: number, scale = 1, offset = 0): Float32Array {
  const start = Math.imul(stream(name), 0x9e3779b9) >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = offset + scale * (((lowbias32((start + i) >>> 0) >>> 8) / 2 ** 24) * 2 - 1);
  return out;
}
