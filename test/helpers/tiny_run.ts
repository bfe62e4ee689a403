/**
 * A tiny end-to-end experiment for runtime tests: a random 2-block ViT saved as safetensors in a
 * temporary folder, and an .lpt file training LPT's two phases on a few MNIST images.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { compile } from '../../compiler/compile.ts';
import type { Plan } from '../../plan/plan.ts';
import { nodeCompilerHost } from '../../compiler/node_host.ts';
import { randomVitWeights } from '../../runtime/model/init.ts';
import { makeVitConfig } from '../../runtime/model/vit_config.ts';
import { saveBackboneWeights } from '../../runtime/weights/load.ts';

export const tinyExperiment = `
experiment tiny {
  seed 3
  data {
    train = mnist(split: train) | longtail(ratio: 10, max: 20) | normalize(mean: 0.5, std: 0.5)
    test  = mnist(split: test) | longtail(ratio: 2, max: 12) | normalize(mean: 0.5, std: 0.5)
  }
  backbone vit = vit(image: 28, patch: 7, dim: 16, depth: 2, heads: 2, channels: 1, weights: "tiny.safetensors", naming: lpt)
  prompt shared = deep(length: 2, layers: all) on vit
  prompt group = pool(size: 4, length: 2, layers: 2..2, top: 2, query: shared) on vit
  head cls = cosine(scale: 20)
  phase one { train shared, cls; loss agcl; sample dual(per_class: 2); optim sgd(lr: 0.05, lr_scale: none); epochs 2; batch 8 }
  phase two after one { train group, cls; loss agcl - 0.5 * matching; epochs 1 }
  evaluate test { shots(many: >15, few: <=5) }
}
ablation baseline of tiny {
  variant "VPT" { drop two, group; phase one { loss ce; sample instance } }
}
`;

/** A folder holding `source` as an .lpt file and tiny.safetensors; returns its plans. */
export function tinyPlans(source = tinyExperiment): { dir: string; plans: readonly Plan[] } {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-run-'));
  const config = makeVitConfig({ imageSize: 28, patchSize: 7, dim: 16, depth: 2, heads: 2, channels: 1 });
  const weights = randomVitWeights(config, 1);
  const tensors = new Map(
    [...weights].map(([n, t]) => [
      n,
      { dtype: 'float32' as const, shape: [...t.shape], data: t.dataSync() as Float32Array },
    ]),
  );
  tf.dispose([...weights.values()]);
  saveBackboneWeights(join(dir, 'tiny.safetensors'), { config, tensors });
  writeFileSync(join(dir, 'tiny.lpt'), source);
  const result = compile(join(dir, 'tiny.lpt'), nodeCompilerHost(process.cwd()));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`tiny.lpt does not compile: ${errors.map((d) => d.message).join('; ')}`);
  return { dir, plans: result.plans };
}
