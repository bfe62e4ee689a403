/**
 * The Plan's JSON Schema (draft-07), built with typed fragments (typed_schema.ts) so the type
 * checker proves it accepts exactly the Plan type of plan.ts: a field added to one and not the
 * other fails `tsc`. `additionalProperties: false` everywhere, so a drift between the emitter and
 * the types fails validation. Committed as plan.schema.json (scripts/gen_plan_schema.ts) for
 * readers outside TypeScript.
 */
import {
  ACTIVATIONS,
  ADAPTER_INITS,
  ADAPTER_KINDS,
  BACKBONE_ARCHS,
  BACKENDS,
  BOUND_OPS,
  BUDGET_METRICS,
  CALIBRATION_METHODS,
  CIFAR100_LABELS,
  EVERY_NAMES,
  FROZEN_EXPERT_OUTPUTS,
  HEAD_INITS,
  HOLDOUT_KEEPS,
  KEY_INITS,
  LIMIT_OPS,
  LONGTAIL_PROFILES,
  LOSSES,
  LOSS_BATCHES,
  LR_SCALES,
  METRICS,
  MODULE_BUDGET_KINDS,
  POOL_COMBINES,
  POOL_KEYS,
  SCHEDULE_PERS,
  SCORER_GATES,
  SCORER_INPUTS,
  SCORER_KINDS,
  SCORER_WEIGHTS,
  SOURCE_SPLITS,
  TEXT_NAMINGS,
  WEIGHT_FORMATS,
  WEIGHT_NAMINGS,
} from './enums.ts';
import { PLAN_VERSION, type Plan } from './plan.ts';
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

const act = oneOf(...ACTIVATIONS);
const split = oneOf(...SOURCE_SPLITS);
const source = union(
  kind(['mnist', 'fashion_mnist'], { split, images: str, labels: str, classes: positiveInt }),
  kind('mnist_pairs', { split, images: str, labels: str, perClass: positiveInt, seed: count, classes: positiveInt }),
  kind('cifar10', { split, files: arr(str, { minItems: 1 }), classes: positiveInt }),
  kind('cifar100', {
    split,
    files: arr(str, { minItems: 1 }),
    labels: oneOf(...CIFAR100_LABELS),
    classes: positiveInt,
  }),
  kind('image_folder', { root: str, classes: nullable(positiveInt) }),
  kind('split_list', { list: str, root: str, classes: nullable(positiveInt) }),
);

const transform = union(
  kind('resize', { size: positiveInt, square: bool }),
  kind('center_crop', { size: positiveInt }),
  kind('random_resized_crop', { size: positiveInt, scale: pair(positive), ratio: pair(positive) }),
  kind('pad_crop', { padding: count }),
  kind('flip', { p: probability }),
  kind('to_rgb', {}),
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
          profile: oneOf(...LONGTAIL_PROFILES),
          head: positive,
          seed: count,
        }),
      ),
      transforms: arr(transform),
      imageSize: nullable(positiveInt),
      channels: positiveInt,
      holdout: nullable(
        objWithOptional({ keep: oneOf(...HOLDOUT_KEEPS), perClass: positiveInt, seed: count }, { skip: positiveInt }),
      ),
    }),
    { minItems: 1 },
  ),
});

const backbone = obj({
  name: str,
  arch: oneOf(...BACKBONE_ARCHS),
  image: positiveInt,
  patch: positiveInt,
  dim: positiveInt,
  depth: positiveInt,
  heads: positiveInt,
  channels: positiveInt,
  mlpRatio: positive,
  eps: positive,
  act,
  weights: nullable(
    obj({
      path: str,
      format: oneOf(...WEIGHT_FORMATS),
      naming: oneOf(...WEIGHT_NAMINGS),
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
      keys: oneOf(...POOL_KEYS),
      top: positiveInt,
      combine: oneOf(...POOL_COMBINES),
      query: nullable(str),
      initStd: positive,
      keyInit: oneOf(...KEY_INITS),
      params: count,
      keyParams: count,
    }),
  ),
  adapters: arr(
    obj({
      name: str,
      backbone: str,
      kind: oneOf(...ADAPTER_KINDS),
      bottleneck: positiveInt,
      scale: num,
      layers,
      init: oneOf(...ADAPTER_INITS),
      params: count,
    }),
  ),
  heads: arr(
    union(
      kind('linear', { ...headBase, bias: bool, init: oneOf(...HEAD_INITS) }),
      kind('cosine', { ...headBase, scale: positive, init: oneOf(...HEAD_INITS) }),
      kind('text', {
        ...headBase,
        scale: either(positive, constant('checkpoint')),
        embeddings: nullable(str),
        encoder: nullable(
          obj({
            backbone: str,
            weights: str,
            format: oneOf(...WEIGHT_FORMATS),
            naming: oneOf(...TEXT_NAMINGS),
            act,
          }),
        ),
        classnames: either(str, names, typedNull),
        templates: either(str, arr(str, { minItems: 1 })),
        embedDim: positiveInt,
        tune: bool,
        projection: oneOf('none', 'frozen', 'tune', 'random'),
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
        kind: oneOf(...SCORER_KINDS),
        experts: arr(str, { minItems: 2 }),
        input: oneOf(...SCORER_INPUTS),
        hidden: count,
        gate: oneOf(...SCORER_GATES),
        weights: oneOf(...SCORER_WEIGHTS),
        params: count,
      },
      { calibration: obj({ method: oneOf(...CALIBRATION_METHODS), split: str }), mix: constant('logits') },
    ),
  ),
});

const weight = obj({ scale: num, linear: arr(obj({ from: num, to: num })) });
const optimizerBase = {
  lr: positive,
  baseLr: positive,
  baseBatch: positiveInt,
  lrScale: oneOf(...LR_SCALES),
  weightDecay: nonNegative,
};
const scheduleBase = { warmupEpochs: nonNegative, warmupFrom: nonNegative, per: oneOf(...SCHEDULE_PERS) };
const phase = objWithOptional(
  {
    name: str,
    after: names,
    trainable: arr(str, { minItems: 1 }),
    experts: arr(str, { minItems: 1 }),
    frozenExperts: nullable(obj({ outputs: oneOf(...FROZEN_EXPERT_OUTPUTS), reason: str })),
    loss: arr(
      obj({
        loss: oneOf(...LOSSES),
        weight,
        args: record(num),
        batch: oneOf(...LOSS_BATCHES),
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

const bound = obj({ op: oneOf(...BOUND_OPS), value: num });
const evaluation = obj({
  split: str,
  model: str,
  shots: obj({ many: bound, few: bound }),
  metrics: arr(oneOf(...METRICS)),
  every: either(oneOf(...EVERY_NAMES), positiveInt),
});

const budget = obj({
  backboneParams: count,
  trainableParams: count,
  sharePercent: nonNegative,
  promptParams: count,
  modules: arr(
    obj({
      name: str,
      kind: oneOf(...MODULE_BUDGET_KINDS),
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
      metric: oneOf(...BUDGET_METRICS),
      op: oneOf(...LIMIT_OPS),
      limit: num,
      actual: num,
      ok: bool,
    }),
  ),
});

/** `slurm(...)`: every argument optional (docs/SLURM.md). */
const slurm = objWithOptional(
  {},
  {
    partition: str,
    account: str,
    time: str,
    gpus: count,
    cpus: positiveInt,
    mem: str,
    constraint: str,
    qos: str,
    signal: positiveInt,
    options: arr(str),
  },
);

const planObject = assertSchemaType<Plan>()(
  objWithOptional(
    {
      version: constant(PLAN_VERSION),
      hash: typedString({ type: 'string', pattern: '^[0-9a-f]{64}$' }),
      name: str,
      experiment: str,
      variant: nullable(obj({ ablation: str, name: str })),
      source: str,
      seed: count,
      backend: oneOf(...BACKENDS),
      classes: typedNumber({ type: 'integer', minimum: 2 }),
      out: str,
      data,
      backbones: arr(backbone, { minItems: 1 }),
      modules,
      phases: arr(phase),
      evaluation: arr(evaluation),
      budget,
    },
    { label: str, replicateOf: str, overrides: arr(str, { minItems: 1 }), slurm },
  ),
);

export const planSchema: Schema<Plan> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://lpt.invalid/plan.schema.json',
  title: 'lpt execution plan',
  description: 'Everything the lpt runtime needs to run one experiment or ablation variant; see plan/plan.ts.',
  ...planObject,
};
