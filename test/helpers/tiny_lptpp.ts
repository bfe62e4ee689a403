/**
 * A tiny LPT++ experiment for runtime tests: two experts on the tiny random backbone of
 * tiny_run.ts (one with a cosine head, one with a text head initialised from class embeddings
 * written beside the experiment), phase 1 for both, phase 3 for the MoE scorer, and the variants
 * evaluating one expert, the untrained (equal-weight) scorer and the trained mixture.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { tinyPlans } from './tiny_run.ts';

export const tinyLptppExperiment = `
experiment duo {
  seed 5
  data {
    train = mnist(split: train) | longtail(ratio: 10, max: 20) | normalize(mean: 0.5, std: 0.5)
    test  = mnist(split: test) | longtail(ratio: 2, max: 12) | normalize(mean: 0.5, std: 0.5)
  }
  backbone vit = vit(image: 28, patch: 7, dim: 16, depth: 2, heads: 2, channels: 1, weights: "tiny.safetensors", naming: lpt)
  prompt a_shared = deep(length: 2, layers: all) on vit
  prompt b_shared = deep(length: 3, layers: all) on vit
  head a_head = cosine(scale: 20)
  head b_head = text(embeddings: "classes.json", embed_dim: 16, scale: 10)
  expert a = expert(backbone: vit, modules: [a_shared], head: a_head)
  expert b = expert(backbone: vit, modules: [b_shared], head: b_head)
  scorer mix = moe(experts: [a, b], input: confidence, hidden: 8, gate: softmax)
  phase one { train a_shared, a_head, b_shared, b_head; loss agcl; sample dual(per_class: 2); optim sgd(lr: 0.05, lr_scale: none); epochs 1; batch 8 }
  phase three after one { train mix; loss balanced_softmax; sample instance; optim adamw(lr: 0.05, lr_scale: none); epochs 3; batch 8 }
  evaluate test { model mix; shots(many: >15, few: <=5) }
}
ablation experts of duo {
  variant "a" { drop three; evaluate test { model a } }
  variant "average" { drop three }
  variant "mixture" { }
}
`;

/** A folder holding `source`, tiny.safetensors and the class embeddings (16 wide) its text head reads; returns its plans. */
export function tinyLptppPlans(source = tinyLptppExperiment): { dir: string; plans: readonly Plan[] } {
  const made = tinyPlans(source);
  const embeddings = Array.from({ length: 10 }, (_, c) => Array.from({ length: 16 }, (_, i) => Math.sin(c * 16 + i)));
  writeFileSync(join(made.dir, 'classes.json'), JSON.stringify({ embeddings }));
  return made;
}
