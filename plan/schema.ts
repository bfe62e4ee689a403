/**
 * The Plan's JSON Schema (draft-07), built with typed fragments (typed_schema.ts) so the type
 * checker proves it accepts exactly the Plan type of plan.ts: a field added to one and not the
 * other fails `tsc`. `additionalProperties: false` everywhere, so a drift between the emitter and
 * the types fails validation. Committed as plan.schema.json (scripts/gen_plan_schema.ts) for
 * readers outside TypeScript.
 */
import type { Plan } from './plan.ts';
import {
  arr,
  assertSchemaType,
  typedNull,
  typedNumber,
  typedString,
  type Schema,
  bool,
  constant,
  count,
  either,
  kind,
  nonNegative,
  nullable,
  num,
  obj,
  objWithOptional,
  oneOf,
  pair,
  positive,
  positiveInt,
  record,
  str,
  union,
} from './typed_schema.ts';

const names = arr(str);
const layers = arr(positiveInt);
const probability = typedNumber({ type: 'number', minimum: 0, maximum: 1 });
const aboveOne = typedNumber({ type: 'number', exclusiveMinimum: 1 });

const split = oneOf('train', 'test');
const source = union(
  kind(['mnist', 'fashion_mnist'], { split, images: str, labels: str, classes: positiveInt }),
  kind('cifar10', { split, files: arr(str, { minItems: 1 }), classes: positiveInt }),
  kind('cifar100', { split, files: arr(str, { minItems: 1 }), labels: oneOf('fine', 'coarse'), classes: positiveInt }),
  kind('image_folder', { root: str, classes: nullable(positiveInt) }),
  kind('split_list', { list: str, root: str, classes: nullable(positiveInt) }),
);

const transform = union(
  kind('resize', { size: positiveInt, square: bool }),
  kind('center_crop', { size: positiveInt }),
  kind('random_resized_crop', { size: positiveInt, scale: pair(positive), ratio: pair(positive) }),
  kind('pad_crop', { padding: count }),
  kind('flip', { p: probability }),
  kind('normalize', { mean: arr(num, { minItems: 1 }), std: arr(positive, { minItems: 1 }) }),
);

const data = obj({
  splits: arr(
    obj({
      name: str,
      source,
      longtail: nullable(
        obj({
          ratio: aboveOne,
          max: nullable(positiveInt),
          profile: oneOf('exp', 'step'),
          head: positive,
          seed: count,
        }),
      ),
      transforms: arr(transform),
      imageSize: nullable(positiveInt),
      channels: positiveInt,
      holdout: nullable(
        objWithOptional({ keep: oneOf('held_out', 'rest'), perClass: positiveInt, seed: count }, { skip: positiveInt }),
      ),
    }),
    { minItems: 1 },
  ),
});

const backbone = obj({
  name: str,
  arch: constant('vit'),
  image: positiveInt,
  patch: positiveInt,
  dim: positiveInt,
  depth: positiveInt,
  heads: positiveInt,
  channels: positiveInt,
  mlpRatio: positive,
  eps: positive,
  act: oneOf('gelu', 'quick_gelu'),
  weights: nullable(
    obj({
      path: str,
      format: oneOf('safetensors', 'npz', 'tfjs'),
      naming: oneOf('lpt', 'torchvision', 'timm', 'npz', 'clip'),
    }),
  ),
  params: count,
});

const headBase = { name: str, dim: positiveInt, classes: positiveInt, dropout: nonNegative, params: count };
const modules = obj({
  prompts: arr(obj({ name: str, backbone: str, length: positiveInt, layers, initStd: positive, params: count })),
  pools: arr(
    obj({
      name: str,
      backbone: str,
      size: positiveInt,
      length: positiveInt,
      layers,
      keys: oneOf('learned', 'fixed'),
      top: positiveInt,
      combine: oneOf('mean', 'concat'),
      query: nullable(str),
      initStd: positive,
      keyInit: oneOf('normal', 'uniform'),
      params: count,
      keyParams: count,
    }),
  ),
  adapters: arr(
    obj({
      name: str,
      backbone: str,
      kind: constant('adaptformer'),
      bottleneck: positiveInt,
      scale: num,
      layers,
      init: oneOf('zero', 'normal'),
      params: count,
    }),
  ),
  heads: arr(
    union(
      kind('linear', { ...headBase, bias: bool, init: oneOf('unit', 'normal') }),
      kind('cosine', { ...headBase, scale: positive, init: oneOf('unit', 'normal') }),
      kind('text', {
        ...headBase,
        scale: positive,
        embeddings: nullable(str),
        encoder: nullable(
          obj({
            backbone: str,
            weights: str,
            format: oneOf('safetensors', 'npz', 'tfjs'),
            naming: oneOf('clip', 'open_clip', 'hf'),
            act: oneOf('gelu', 'quick_gelu'),
          }),
        ),
        classnames: either(str, names, typedNull),
        template: str,
        embedDim: positiveInt,
        tune: bool,
        projection: bool,
      }),
    ),
  ),
  experts: arr(obj({ name: str, backbone: str, prompts: names, pools: names, adapters: names, head: str }), {
    minItems: 1,
  }),
  scorer: nullable(
    objWithOptional(
      {
        name: str,
        kind: constant('moe'),
        experts: arr(str, { minItems: 2 }),
        input: oneOf('confidence', 'feature', 'both'),
        hidden: count,
        gate: oneOf('softmax', 'sigmoid'),
        weights: oneOf('per_expert', 'per_class'),
        params: count,
      },
      { calibration: obj({ method: constant('temperature'), split: str }) },
    ),
  ),
});

const weight = obj({ scale: num, linear: arr(obj({ from: num, to: num })) });
const optimizerBase = {
  lr: positive,
  baseLr: positive,
  baseBatch: positiveInt,
  lrScale: oneOf('linear', 'sqrt', 'none'),
  weightDecay: nonNegative,
};
const scheduleBase = { warmupEpochs: nonNegative, warmupFrom: nonNegative, per: oneOf('step', 'epoch') };
const phase = objWithOptional(
  {
    name: str,
    after: names,
    trainable: arr(str, { minItems: 1 }),
    experts: arr(str, { minItems: 1 }),
    frozenExperts: nullable(obj({ outputs: oneOf('cache', 'recompute'), reason: str })),
    loss: arr(
      obj({
        loss: oneOf('ce', 'gcl', 'agcl', 'focal', 'balanced_softmax', 'logit_adjust', 'matching'),
        weight,
        args: record(num),
        batch: oneOf('cb', 'ib', 'sqrt'),
      }),
      { minItems: 1 },
    ),
    sampler: union(
      kind('instance', {}),
      kind('sqrt', {}),
      kind('class_aware', { perClass: positiveInt }),
      kind('dual', { perClass: positiveInt, weight }),
    ),
    optimizer: union(
      kind('sgd', { ...optimizerBase, momentum: nonNegative, nesterov: bool }),
      kind('adamw', { ...optimizerBase, betas: pair(nonNegative), eps: positive }),
    ),
    schedule: union(
      kind('cosine', { ...scheduleBase, minLr: nonNegative }),
      kind('step', { ...scheduleBase, milestones: arr(positiveInt, { minItems: 1 }), gamma: positive }),
      kind('constant', scheduleBase),
    ),
    epochs: positiveInt,
    batch: positiveInt,
  },
  { split: str, microBatch: positiveInt },
);

const bound = obj({ op: oneOf('>', '>=', '<', '<='), value: num });
const evaluation = obj({
  split: str,
  model: str,
  shots: obj({ many: bound, few: bound }),
  metrics: arr(oneOf('overall', 'shots', 'per_class')),
  every: either(oneOf('end', 'phase'), positiveInt),
});

const budget = obj({
  backboneParams: count,
  trainableParams: count,
  sharePercent: nonNegative,
  promptParams: count,
  modules: arr(
    obj({
      name: str,
      kind: oneOf('prompt', 'pool', 'keys', 'adapter', 'head', 'scorer'),
      params: count,
      trained: bool,
    }),
  ),
  inferenceFlops: nonNegative,
  experts: arr(obj({ name: str, backbone: str, trainableParams: count, inferenceFlops: nonNegative })),
  phases: arr(
    obj({
      phase: str,
      trainableParams: count,
      flopsPerStep: nonNegative,
      activationBytes: nonNegative,
      bytesPerImage: obj({ native: nonNegative, ops: nonNegative }),
      largestTensorPerImage: nonNegative,
    }),
  ),
  assertions: arr(
    obj({
      metric: oneOf('trainable', 'share', 'prompts', 'flops'),
      op: oneOf('<', '<='),
      limit: num,
      actual: num,
      ok: bool,
    }),
  ),
});

const planObject = assertSchemaType<Plan>()(
  objWithOptional(
    {
      version: constant(1),
      hash: typedString({ type: 'string', pattern: '^[0-9a-f]{64}$' }),
      name: str,
      experiment: str,
      variant: nullable(obj({ ablation: str, name: str })),
      source: str,
      seed: count,
      backend: oneOf('auto', 'node_gpu', 'webgpu', 'node', 'wasm', 'cpu'),
      classes: typedNumber({ type: 'integer', minimum: 2 }),
      out: str,
      data,
      backbones: arr(backbone, { minItems: 1 }),
      modules,
      phases: arr(phase, { minItems: 1 }),
      evaluation: arr(evaluation),
      budget,
    },
    { label: str, replicateOf: str, overrides: arr(str, { minItems: 1 }) },
  ),
);

export const planSchema: Schema<Plan> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://lpt.invalid/plan.schema.json',
  title: 'lpt execution plan',
  description: 'Everything the lpt runtime needs to run one experiment or ablation variant; see plan/plan.ts.',
  ...planObject,
};
