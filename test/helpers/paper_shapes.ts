/**
 * The paper's shapes checked (issue 23, item 7): one LPT phase-1 and one phase-2 training step at
 * ViT-B/16 shapes (bench/config.ts 'vitb16': 224 px, patch 16, dim 768, depth 12, 12 heads; the
 * shared prompt in all 12 blocks, the pool of 20 entries over the last 6, top-2, mean; cosine head
 * over 10 classes), run by the runtime's own step (runtime/train/step.ts) with micro-batches, on
 * whatever backend is active. Weights, prompts and images come from the counter-based generator
 * (counter_random.ts), as scripts/fixtures/make_paper_shape_fixtures.py makes them for PyTorch;
 * `phaseErrors` says how far each result is from that fixture (test/fixtures/paper_shapes: the full
 * 12 blocks, and 2 blocks with the pool in the last, which lavapipe computes in CI time).
 */
import { readFileSync } from 'node:fs';
import type { ExecutionContext } from 'ava';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BENCH_CONFIGS } from '../../bench/config.ts';
import { benchLossTerms, PHASE_MODULES } from '../../bench/lpt_steps.ts';
import { makeVitConfig, type VitConfig } from '../../runtime/model/vit_config.ts';
import { createVit } from '../../runtime/model/create_vit.ts';
import { applyHead, createHead } from '../../runtime/model/head.ts';
import {
  disposeLptModel,
  forwardPrompted,
  forwardQuery,
  type LptModel,
  trainableVariables,
} from '../../runtime/model/lpt_model.ts';
import { promptPoolFromTensors } from '../../runtime/model/prompt_pool.ts';
import { sharedPromptFromTensor } from '../../runtime/model/prompt.ts';
import { COMPUTE_QUERIES } from '../../runtime/model/query.ts';
import { disposeVit, type Vit } from '../../runtime/model/vit.ts';
import { vitWeightShapes } from '../../runtime/model/vit_weights.ts';
import { createSgd, type Optimizer } from '../../runtime/train/optim.ts';
import { createTrainStep, type StepLosses } from '../../runtime/train/step.ts';
import { counterUniform } from './counter_random.ts';

const CONFIG = BENCH_CONFIGS.vitb16;
export const PAPER_SHAPE_DEPTHS = [12, 2] as const;
export type PaperShapeDepth = (typeof PAPER_SHAPE_DEPTHS)[number];

interface GradSummary {
  readonly shape: readonly number[];
  readonly norm: number;
  readonly rowNorms: readonly number[];
  readonly rowDots: readonly number[];
}

export interface PhaseResult {
  readonly losses: Readonly<Record<string, number>>;
  /** [B * C] cosine logits before the update, row-major. */
  readonly logits: readonly number[];
  /** Phase 2: each image's selected pool entries, ascending. */
  readonly selected?: readonly (readonly number[])[];
  readonly grads: Readonly<Record<string, GradSummary>>;
}

interface Expected {
  readonly depth: number;
  readonly batch: number;
  readonly classes: number;
  readonly labels: readonly number[];
  readonly phase1: PhaseResult;
  readonly phase2: PhaseResult;
}

export function paperShapesExpected(depth: PaperShapeDepth): Expected {
  return JSON.parse(readFileSync(join(import.meta.dirname, `../fixtures/paper_shapes/depth${depth}.json`), 'utf-8'));
}

/** ViT-B/16 `depth` blocks deep with the pool over the last half (bench/config.ts's 'vitb16' at 12). */
interface Shapes {
  readonly vit: VitConfig;
  readonly poolLayers: readonly number[];
  readonly expected: Expected;
}

function shapesAt(depth: PaperShapeDepth): Shapes {
  return {
    vit: makeVitConfig({ ...CONFIG.vit, depth }),
    poolLayers: Array.from({ length: depth - Math.floor(depth / 2) }, (_, i) => Math.floor(depth / 2) + i),
    expected: paperShapesExpected(depth),
  };
}

function generated(name: string, shape: readonly number[], scale = 1, offset = 0): tf.Tensor {
  return tf.tensor(
    counterUniform(
      name,
      shape.reduce((a, b) => a * b, 1),
      scale,
      offset,
    ),
    [...shape],
  );
}

/** (scale, offset) of a canonical ViT weight, as the fixture script draws it. */
function weightScale(name: string): [number, number] {
  const parts = name.split('.');
  if (parts.at(-1) === 'weight' && parts.at(-2)!.includes('norm')) return [0.1, 1];
  if (parts.at(-1) === 'bias') return [0.05, 0];
  return [0.035, 0];
}

function generatedVit(config: VitConfig): Vit {
  const weights = new Map<string, tf.Tensor>();
  try {
    for (const [name, shape] of vitWeightShapes(config))
      weights.set(name, generated(name, shape, ...weightScale(name)));
    return createVit(config, weights);
  } finally {
    tf.dispose([...weights.values()]);
  }
}

/** A fresh model of one phase over `backbone`, its trainable modules as generated. */
function phaseModel(shapes: Shapes, backbone: Vit, phase: '1' | '2'): LptModel {
  const { dim, depth } = shapes.vit;
  const { classes } = shapes.expected;
  const made = {
    shared: generated('shared.prompts', [depth, CONFIG.promptLength, dim], 0.035),
    pool: generated('pool.prompts', [CONFIG.poolSize, shapes.poolLayers.length, CONFIG.promptLength, dim], 0.035),
    keys: generated('pool.keys', [CONFIG.poolSize, dim]),
    head: tf.tidy(() => tf.transpose(generated('head.weight', [dim, classes]))),
  };
  try {
    return {
      backbone,
      shared: sharedPromptFromTensor(
        made.shared,
        Array.from({ length: depth }, (_, i) => i),
        depth,
      ),
      pool:
        phase === '1'
          ? null
          : promptPoolFromTensors(
              made.pool,
              made.keys,
              { layers: shapes.poolLayers, topK: CONFIG.topK, combine: 'mean' },
              depth,
            ),
      adapters: null,
      head: createHead(dim, { kind: 'cosine', classes, scale: 20, init: made.head }, 0),
    };
  } finally {
    tf.dispose(Object.values(made));
  }
}

/** SGD that also keeps a copy of the gradients it applies (the caller disposes them). */
function recordingSgd(variables: readonly tf.Variable[], record: Map<string, tf.Tensor>): Optimizer {
  const sgd = createSgd(variables);
  return {
    ...sgd,
    apply(grads, lr) {
      for (const [name, g] of Object.entries(grads)) record.set(name, tf.clone(g));
      sgd.apply(grads, lr);
    },
  };
}

async function summary(name: string, g: tf.Tensor): Promise<GradSummary> {
  const last = g.shape.at(-1)!;
  const values = await g.data();
  const u = counterUniform(`summary:${name}`, last);
  const rowNorms: number[] = [];
  const rowDots: number[] = [];
  let total = 0;
  for (let r = 0; r < values.length / last; r++) {
    let squares = 0;
    let dot = 0;
    for (let j = 0; j < last; j++) {
      const v = values[r * last + j]!;
      squares += v * v;
      dot += v * u[j]!;
    }
    rowNorms.push(Math.sqrt(squares));
    rowDots.push(dot);
    total += squares;
  }
  return { shape: g.shape, norm: Math.sqrt(total), rowNorms, rowDots };
}

/** The summaries' names: the fixture's (PyTorch's tensors) for each module a phase trains. */
function gradientNames(model: LptModel): Map<string, string> {
  return new Map([
    ...(model.pool === null
      ? [[model.shared!.prompts.name, 'shared'] as const]
      : [[model.pool.prompts.name, 'pool'] as const, [model.pool.keys.name, 'keys'] as const]),
    [model.head!.weight.name, 'head'],
  ]);
}

async function runPhase(shapes: Shapes, backbone: Vit, phase: '1' | '2', microBatch: number): Promise<PhaseResult> {
  const model = phaseModel(shapes, backbone, phase);
  const { batch, labels } = shapes.expected;
  const { channels, imageSize } = shapes.vit;
  const x = generated('images', [batch, channels, imageSize, imageSize]) as tf.Tensor4D;
  const record = new Map<string, tf.Tensor>();
  try {
    const before = { logits: [] as number[], selected: model.pool === null ? undefined : ([] as number[][]) };
    // The logits and selection before the update, a micro-batch at a time: the step's shapes, so
    // that webgpu compiles no other programs (lavapipe spends most of its time compiling).
    for (let start = 0; start < batch; start += microBatch) {
      const [logits, indices] = tf.tidy(() => {
        const rows = tf.slice(x, [start, 0, 0, 0], [Math.min(microBatch, batch - start), -1, -1, -1]);
        const { features, selection } = forwardPrompted(model, rows, model.pool && forwardQuery(model, rows));
        return [applyHead(model.head!, features), ...(selection === null ? [] : [selection.indices])];
      });
      before.logits.push(...(await logits!.data()));
      if (indices !== undefined) before.selected!.push(...((await indices.array()) as number[][]));
      tf.dispose([logits!, ...(indices === undefined ? [] : [indices])]);
    }
    const trainable = trainableVariables(model, PHASE_MODULES[phase]);
    const step = createTrainStep({
      model,
      trainable,
      optimizer: recordingSgd(trainable, record),
      terms: benchLossTerms(model),
      queries: COMPUTE_QUERIES,
      microBatch,
    });
    const batches = new Map([['ib' as const, { x, labels: Int32Array.from(labels), indices: new Int32Array(batch) }]]);
    const losses: StepLosses = await step(batches, { seed: 1, phase, epoch: 0, step: 0 }, 1);
    const grads: Record<string, GradSummary> = {};
    for (const [variable, name] of gradientNames(model)) grads[name] = await summary(name, record.get(variable)!);
    return {
      losses,
      logits: before.logits,
      ...(before.selected === undefined ? {} : { selected: before.selected.map((r) => [...r].sort((a, b) => a - b)) }),
      grads,
    };
  } finally {
    tf.dispose([x, ...record.values()]);
    disposeLptModel(model, true);
  }
}

/**
 * Both phases' steps at `depth` blocks, each from the generated parameters, each stream in
 * micro-batches of `microBatch`.
 */
export async function runPaperShapes(
  depth: PaperShapeDepth,
  microBatch: number,
): Promise<{ phase1: PhaseResult; phase2: PhaseResult }> {
  const shapes = shapesAt(depth);
  const backbone = generatedVit(shapes.vit);
  try {
    return {
      phase1: await runPhase(shapes, backbone, '1', microBatch),
      phase2: await runPhase(shapes, backbone, '2', microBatch),
    };
  } finally {
    disposeVit(backbone);
  }
}

/** The largest |a - b| over the largest |b|: the error relative to the quantity's scale. */
export function relativeError(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  a.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(v - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  });
  return diff / scale;
}

/** Every compared quantity of a phase with its relative error against the fixture's. */
export function phaseErrors(got: PhaseResult, expected: PhaseResult): Map<string, number> {
  const errors = new Map<string, number>();
  for (const [name, value] of Object.entries(expected.losses))
    errors.set(`loss ${name}`, relativeError([got.losses[name] ?? NaN], [value]));
  errors.set('logits', relativeError(got.logits, expected.logits));
  for (const [name, g] of Object.entries(expected.grads)) {
    const mine = got.grads[name];
    errors.set(`${name} gradient norm`, relativeError([mine?.norm ?? NaN], [g.norm]));
    errors.set(`${name} gradient row norms`, relativeError(mine?.rowNorms ?? [], g.rowNorms));
    errors.set(`${name} gradient row projections`, relativeError(mine?.rowDots ?? [], g.rowDots));
  }
  return errors;
}

/**
 * The comparison as a test: both steps at `depth` blocks, batch 4 in micro-batches of 2, against
 * PyTorch's float64 fixture: the selected pool entries exactly, every other quantity within
 * `tolerance` of its scale (relativeError); no tensor left behind.
 */
export async function checkPaperShapes(t: ExecutionContext, depth: PaperShapeDepth, tolerance: number): Promise<void> {
  const expected = paperShapesExpected(depth);
  const before = tf.memory().numTensors;
  const got = await runPaperShapes(depth, 2);
  t.is(tf.memory().numTensors, before, 'no tensor leaks');
  t.deepEqual(got.phase2.selected, expected.phase2.selected, 'the selected pool entries');
  for (const phase of ['phase1', 'phase2'] as const) {
    for (const [what, error] of phaseErrors(got[phase], expected[phase])) {
      t.log(`${phase} ${what}: ${error.toExponential(2)}`);
      t.true(error < tolerance, `${phase} ${what}: relative error ${error}`);
    }
  }
}
