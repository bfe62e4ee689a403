/**
 * A plain float64 ViT forward pass for the weight tests: canonical tensors + architecture ->
 * final-LayerNorm CLS features. It exists so the importers are checked against torchvision's
 * numbers independently of the TensorFlow.js model (runtime/model/), whose own parity tests
 * run through `lpt features`. Slow loops; fixture models only.
 */
import type { BackboneArchitecture } from '../../../runtime/weights/infer.ts';
import type { FloatTensors } from '../../../runtime/weights/tensor.ts';

type Rows = Float64Array[]; // tokens x width

export function referenceFeatures(
  input: { shape: readonly number[]; data: Float32Array },
  tensors: FloatTensors,
  a: BackboneArchitecture,
): Float64Array[] {
  const get = (name: string) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`reference: no ${name}`);
    return t.data;
  };
  const [batch, channels, size] = input.shape as [number, number, number, number];
  const { dim: D, patchSize: P } = a;
  const grid = size / P;
  const out: Float64Array[] = [];
  for (let b = 0; b < batch; b++) {
    const w = get('patch_embed.proj.weight');
    const bias = get('patch_embed.proj.bias');
    let x: Rows = [Float64Array.from(get('cls_token'))];
    for (let gy = 0; gy < grid; gy++) {
      for (let gx = 0; gx < grid; gx++) {
        const token = Float64Array.from(bias);
        for (let d = 0; d < D; d++) {
          let s = 0;
          for (let c = 0; c < channels; c++)
            for (let py = 0; py < P; py++)
              for (let px = 0; px < P; px++)
                s +=
                  w[((d * channels + c) * P + py) * P + px]! *
                  input.data[((b * channels + c) * size + gy * P + py) * size + gx * P + px]!;
          token[d]! += s;
        }
        x.push(token);
      }
    }
    const pos = get('pos_embed');
    x = x.map((row, t) => row.map((v, d) => v + pos[t * D + d]!));
    if (a.preNorm) x = x.map((r) => layerNorm(r, get('norm_pre.weight'), get('norm_pre.bias'), a.layerNormEps));
    for (let i = 0; i < a.depth; i++) {
      const p = (n: string) => get(`blocks.${i}.${n}`);
      const y = x.map((r) => layerNorm(r, p('norm1.weight'), p('norm1.bias'), a.layerNormEps));
      const qkv = y.map((r) => linear(r, p('attn.qkv.weight'), p('attn.qkv.bias')));
      const attended = attention(qkv, D, a.heads);
      const proj = attended.map((r) => linear(r, p('attn.proj.weight'), p('attn.proj.bias')));
      x = x.map((r, t) => r.map((v, d) => v + proj[t]![d]!));
      const z = x.map((r) => layerNorm(r, p('norm2.weight'), p('norm2.bias'), a.layerNormEps));
      const act = a.activation === 'gelu' ? gelu : quickGelu;
      const mlp = z.map((r) =>
        linear(linear(r, p('mlp.fc1.weight'), p('mlp.fc1.bias')).map(act), p('mlp.fc2.weight'), p('mlp.fc2.bias')),
      );
      x = x.map((r, t) => r.map((v, d) => v + mlp[t]![d]!));
    }
    out.push(layerNorm(x[0]!, get('norm.weight'), get('norm.bias'), a.layerNormEps));
  }
  return out;
}

function layerNorm(x: Float64Array, weight: Float32Array, bias: Float32Array, eps: number): Float64Array {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * weight[i]! + bias[i]!);
}

/** y = W x + b with W [out, in] (PyTorch Linear layout). */
export function linear(x: Float64Array, weight: Float32Array, bias: Float32Array | null): Float64Array {
  const outDim = weight.length / x.length;
  const y = new Float64Array(outDim);
  for (let o = 0; o < outDim; o++) {
    let s = bias ? bias[o]! : 0;
    for (let k = 0; k < x.length; k++) s += weight[o * x.length + k]! * x[k]!;
    y[o] = s;
  }
  return y;
}

function attention(qkv: Rows, D: number, heads: number): Rows {
  const hd = D / heads;
  const n = qkv.length;
  const out: Rows = qkv.map(() => new Float64Array(D));
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < n; t++) {
      const scores = new Float64Array(n);
      for (let s = 0; s < n; s++) {
        let dot = 0;
        for (let k = 0; k < hd; k++) dot += qkv[t]![h * hd + k]! * qkv[s]![D + h * hd + k]!;
        scores[s] = dot / Math.sqrt(hd);
      }
      const max = Math.max(...scores);
      const e = scores.map((v) => Math.exp(v - max));
      const total = e.reduce((a, b) => a + b, 0);
      for (let s = 0; s < n; s++)
        for (let k = 0; k < hd; k++) out[t]![h * hd + k]! += (e[s]! / total) * qkv[s]![2 * D + h * hd + k]!;
    }
  }
  return out;
}

const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));
const quickGelu = (v: number) => v / (1 + Math.exp(-1.702 * v));

/** erf to ~1e-12 (Taylor series near 0, continued fraction beyond), enough for float32 parity. */
function erf(x: number): number {
  const z = Math.abs(x);
  if (z < 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17; n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let k = 60; k >= 1; k--) f = k / 2 / (z + f);
  return Math.sign(x) * (1 - Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f));
}
