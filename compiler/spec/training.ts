/**
 * Spec of the training calls: losses (terms of a phase's loss expression), loss-weight schedules,
 * samplers, optimisers and learning-rate schedules. docs/METHOD.md gives each default its source.
 * GCL: Li et al. CVPR 2022; asymmetric loss: Ridnik et al. ICCV 2021 (arXiv 2009.14119);
 * logit adjustment: Menon et al. ICLR 2021 (arXiv 2007.07314); balanced softmax: Ren et al. NeurIPS 2020.
 */
import { LR_SCALES, SCHEDULE_PERS } from '../../plan/enums.ts';
import { derived, value, type ArgSpec, type CallSpec } from './types.ts';

const cloud = [
  { name: 'lambda', type: { kind: 'number', min: 0 }, default: value(0.5), doc: 'Cloud size multiplier (lambda).' },
  {
    name: 'margin',
    type: { kind: 'number', min: 0 },
    default: value(0.1),
    doc: 'Margin subtracted from the target cosine logit.',
  },
  {
    name: 'noise_std',
    type: { kind: 'number', above: 0 },
    default: value(1 / 3),
    doc: 'Std of the Gaussian noise eps (1/3; eps is clamped to [-1, 1]).',
  },
] as const satisfies readonly ArgSpec[];

export const lossSpecs = [
  {
    name: 'ce',
    family: 'loss',
    doc: 'Cross-entropy on the (scaled) logits.',
    example: 'ce',
    args: [
      {
        name: 'label_smoothing',
        type: { kind: 'number', min: 0, below: 1 },
        default: value(0),
        doc: 'Label smoothing.',
      },
    ],
  },
  {
    name: 'gcl',
    family: 'loss',
    doc: 'Gaussian clouded logit: CE on logits clouded by per-class noise proportional to log(n_max) - log(n_j), with a margin.',
    example: 'gcl(lambda: 0.5, margin: 0.1)',
    args: cloud,
  },
  {
    name: 'agcl',
    family: 'loss',
    doc: "LPT's asymmetric GCL: GCL's clouded, margined logits with the single-label asymmetric loss instead of CE.",
    example: 'agcl(gamma_neg: 4)',
    args: [
      ...cloud,
      {
        name: 'gamma_pos',
        type: { kind: 'number', min: 0 },
        default: value(0),
        instanceDefault: 0.5,
        doc: 'Focusing exponent on the target (0 on class-balanced batches, 0.5 on instance batches).',
      },
      {
        name: 'gamma_neg',
        type: { kind: 'number', min: 0 },
        default: value(4),
        instanceDefault: 8,
        doc: 'Focusing exponent on non-targets (4 on class-balanced batches, 8 on instance batches).',
      },
      {
        name: 'label_smoothing',
        type: { kind: 'number', min: 0, below: 1 },
        default: value(0.1),
        doc: 'Label smoothing of the target distribution.',
      },
    ],
  },
  {
    name: 'focal',
    family: 'loss',
    doc: 'Focal loss: (1 - p_y)^gamma * CE.',
    example: 'focal(gamma: 2)',
    args: [{ name: 'gamma', type: { kind: 'number', min: 0 }, default: value(2), doc: 'Focusing exponent.' }],
  },
  {
    name: 'balanced_softmax',
    family: 'loss',
    doc: 'Balanced softmax: CE on logits + log(n_j).',
    example: 'balanced_softmax',
    args: [],
  },
  {
    name: 'logit_adjust',
    family: 'loss',
    doc: 'Logit-adjusted CE: CE on logits + tau * log(prior_j).',
    example: 'logit_adjust(tau: 1)',
    args: [{ name: 'tau', type: { kind: 'number', min: 0 }, default: value(1), doc: 'Adjustment strength.' }],
  },
  {
    name: 'matching',
    family: 'loss',
    doc: 'Batch mean of the summed cosine similarities between the query and its top-k pool keys (subtract it: `- 0.5 * matching`). Only the keys get its gradient.',
    example: '0.5 * matching',
    args: [],
  },
] as const satisfies readonly CallSpec[];

export const weightSpecs = [
  {
    name: 'linear',
    family: 'weight',
    doc: "A loss weight that moves linearly over the phase's epochs: w(e) = from + (to - from) * e / E, e = 0..E-1.",
    example: 'linear(from: 0.5, to: 0)',
    args: [
      { name: 'from', type: { kind: 'number' }, required: true, doc: 'Weight at epoch 0.' },
      {
        name: 'to',
        type: { kind: 'number' },
        required: true,
        doc: 'Weight the line reaches at epoch E (after the last epoch).',
      },
    ],
  },
] as const satisfies readonly CallSpec[];

const perClass = {
  name: 'per_class',
  type: { kind: 'int', min: 1 },
  default: value(4),
  doc: 'Images taken per class visit.',
} as const satisfies ArgSpec;

export const samplerSpecs = [
  {
    name: 'instance',
    family: 'sampler',
    doc: 'Instance-balanced: uniform over images.',
    example: 'instance',
    args: [],
  },
  {
    name: 'class_aware',
    family: 'sampler',
    doc: 'Class-balanced: visit classes in a reshuffled cycle, per_class images per visit.',
    example: 'class_aware(per_class: 4)',
    args: [perClass],
  },
  {
    name: 'sqrt',
    family: 'sampler',
    doc: 'Square-root sampling: class j drawn with probability proportional to sqrt(n_j).',
    example: 'sqrt',
    args: [],
  },
  {
    name: 'dual',
    family: 'sampler',
    doc: 'Each step draws a class-aware batch (cb) and an instance batch (ib); loss = L(cb) + weight(e) * L(ib).',
    example: 'dual(per_class: 4, weight: linear(from: 0.5, to: 0))',
    args: [
      perClass,
      {
        name: 'weight',
        type: { kind: 'schedule' },
        default: derived('linear(from: 0.5, to: 0)'),
        doc: 'Weight of the instance-batch loss.',
      },
    ],
  },
] as const satisfies readonly CallSpec[];

const lrScale = [
  {
    name: 'lr_scale',
    type: { kind: 'enum', values: LR_SCALES },
    default: value('linear'),
    doc: 'How lr scales with batch / base_batch.',
  },
  {
    name: 'base_batch',
    type: { kind: 'int', min: 1 },
    default: value(256),
    doc: 'The batch size at which lr is given.',
  },
] as const satisfies readonly ArgSpec[];

export const optimizerSpecs = [
  {
    name: 'sgd',
    family: 'optimizer',
    doc: 'SGD with momentum and (coupled) weight decay.',
    example: 'sgd(lr: 0.02, momentum: 0.9, weight_decay: 0.01)',
    args: [
      { name: 'lr', type: { kind: 'number', above: 0 }, default: value(0.02), doc: 'Learning rate at base_batch.' },
      { name: 'momentum', type: { kind: 'number', min: 0, below: 1 }, default: value(0.9), doc: 'Momentum.' },
      { name: 'weight_decay', type: { kind: 'number', min: 0 }, default: value(0.01), doc: 'L2 weight decay.' },
      { name: 'nesterov', type: { kind: 'bool' }, default: value(false), doc: 'Nesterov momentum.' },
      ...lrScale,
    ],
  },
  {
    name: 'adamw',
    family: 'optimizer',
    doc: 'AdamW (decoupled weight decay).',
    example: 'adamw(lr: 0.001, weight_decay: 0.05)',
    args: [
      { name: 'lr', type: { kind: 'number', above: 0 }, default: value(0.001), doc: 'Learning rate at base_batch.' },
      {
        name: 'betas',
        type: { kind: 'list', of: { kind: 'number', min: 0, below: 1 }, minItems: 2, maxItems: 2 },
        default: value([0.9, 0.999]),
        doc: 'Adam betas.',
      },
      { name: 'eps', type: { kind: 'number', above: 0 }, default: value(1e-8), doc: 'Adam epsilon.' },
      { name: 'weight_decay', type: { kind: 'number', min: 0 }, default: value(0.05), doc: 'Decoupled weight decay.' },
      ...lrScale,
    ],
  },
] as const satisfies readonly CallSpec[];

const warmup = <const E extends number>(epochs: E) =>
  [
    { name: 'warmup', type: { kind: 'number', min: 0 }, default: value(epochs), doc: 'Warm-up epochs (linear).' },
    {
      name: 'warmup_from',
      type: { kind: 'number', min: 0 },
      default: value(1e-6),
      doc: 'Learning rate at the start of the warm-up.',
    },
    {
      name: 'per',
      type: { kind: 'enum', values: SCHEDULE_PERS },
      default: value('step'),
      doc: "Granularity: the rate changes every step, or once per epoch as timm's schedulers do (the authors' code; a 1-epoch warm-up then trains its whole first epoch at warmup_from).",
    },
  ] as const satisfies readonly ArgSpec[];

export const scheduleSpecs = [
  {
    name: 'cosine',
    family: 'schedule',
    doc: 'Cosine decay from lr to min_lr after the warm-up.',
    example: 'cosine(warmup: 1, warmup_from: 1e-6)',
    args: [
      ...warmup(1),
      { name: 'min_lr', type: { kind: 'number', min: 0 }, default: value(0), doc: 'Learning rate at the end.' },
    ],
  },
  {
    name: 'step',
    family: 'schedule',
    doc: 'Multiply lr by gamma at each milestone epoch.',
    example: 'step(milestones: [60, 80], gamma: 0.1)',
    args: [
      {
        name: 'milestones',
        type: { kind: 'list', of: { kind: 'int', min: 1 }, minItems: 1 },
        required: true,
        doc: 'Epochs at which lr drops.',
      },
      {
        name: 'gamma',
        type: { kind: 'number', above: 0 },
        default: value(0.1),
        doc: 'Factor applied at each milestone.',
      },
      ...warmup(0),
    ],
  },
  { name: 'constant', family: 'schedule', doc: 'Constant lr after the warm-up.', example: 'constant', args: warmup(0) },
] as const satisfies readonly CallSpec[];
