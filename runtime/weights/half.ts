/**
 * Widening of 16-bit floats to float32: IEEE half (F16) and bfloat16 (BF16, the top half of a
 * float32). Checkpoints are often stored in either; the runtime computes in float32.
 */

const scratch = new Uint32Array(1);
const scratchFloat = new Float32Array(scratch.buffer);

export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal (or zero)
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

export function bfloat16ToFloat(bits: number): number {
  scratch[0] = bits << 16;
  return scratchFloat[0]!;
}

/** Decode `count` little-endian 16-bit floats starting at `bytes[0]`. */
export function decode16(bytes: Uint8Array, count: number, kind: 'f16' | 'bf16'): Float32Array {
  const out = new Float32Array(count);
  const widen = kind === 'f16' ? halfToFloat : bfloat16ToFloat;
  for (let i = 0; i < count; i++) out[i] = widen(bytes[2 * i]! | (bytes[2 * i + 1]! << 8));
  return out;
}
