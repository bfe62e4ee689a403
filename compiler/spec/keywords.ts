/**
 * Spec of the statement keywords: which keyword may appear where (file, experiment, data, phase,
 * evaluate, ablation, variant), in which form (block, declaration, property) and with which value
 * types. Experiment statements may also appear in ablations and variants, where they patch the
 * experiment (see docs/LANGUAGE.md "Ablations").
 */
import { BACKENDS, EVERY_NAMES, METRICS } from '../../plan/enums.ts';
import { derived, value, type Context, type KeywordSpec } from './types.ts';

const experimentLike: readonly Context[] = ['experiment', 'ablation', 'variant'];
const moduleList = { kind: 'ref', to: 'trainable' } as const;

export const keywordSpecs: readonly KeywordSpec[] = [
  // File level.
  {
    name: 'import',
    form: 'property',
    contexts: ['file'],
    doc: 'Load another .lpt file (relative to this one); its experiments and presets become visible.',
    example: 'import "presets/vit_b16.lpt"',
    value: { kind: 'string' },
  },
  {
    name: 'experiment',
    form: 'block',
    contexts: ['file'],
    doc: 'An experiment: compiled to one plan. May extend presets or experiments (members merge, later wins).',
    example: 'experiment quickstart extends tiny_vit { ... }',
  },
  {
    name: 'preset',
    form: 'block',
    contexts: ['file'],
    doc: 'A reusable, possibly incomplete experiment body; never compiled on its own.',
    example: 'preset vit_b16 { backbone vit = vit(...) }',
  },
  {
    name: 'ablation',
    form: 'block',
    contexts: ['file'],
    doc: 'Variants of an experiment, each compiled to its own plan.',
    example: 'ablation phases of quickstart { variant "VPT" { drop two } }',
  },

  // Experiment settings.
  {
    name: 'seed',
    form: 'property',
    contexts: experimentLike,
    doc: 'Seed of every random choice of the run.',
    example: 'seed 0',
    value: { kind: 'int', min: 0 },
    default: value(0),
  },
  {
    name: 'seeds',
    form: 'property',
    contexts: experimentLike,
    doc: 'Run every plan once per seed (in place of `seed`); reports show the mean ± std over the seeds. `lpt run --seeds` replaces it, a `vary seed` of a variant wins over it.',
    example: 'seeds 0, 1, 2',
    value: { kind: 'int', min: 0 },
    multiple: true,
    default: derived('one run, with `seed`'),
  },
  {
    name: 'backend',
    form: 'property',
    contexts: experimentLike,
    doc: 'Preferred TensorFlow.js backend (auto: node_gpu, webgpu on a hardware GPU, node, wasm, cpu, first that loads).',
    example: 'backend wasm',
    value: { kind: 'enum', values: BACKENDS },
    default: value('auto'),
  },
  {
    name: 'classes',
    form: 'property',
    contexts: experimentLike,
    doc: 'Number of classes; needed only when the train source cannot tell: an image folder or split list whose files are missing (when they are there, its subfolders or its largest label + 1 count the classes).',
    example: 'classes 365',
    value: { kind: 'int', min: 2 },
    default: derived('from the train source, or its files'),
  },
  {
    name: 'label',
    form: 'property',
    contexts: experimentLike,
    doc: "Display name of the experiment's own row in report tables and plots (ablation variants keep their variant names).",
    example: 'label "LPT"',
    value: { kind: 'string' },
    default: derived('the experiment name'),
  },
  {
    name: 'out',
    form: 'property',
    contexts: experimentLike,
    doc: 'Folder for run directories (relative to the working directory).',
    example: 'out "runs"',
    value: { kind: 'string' },
    default: value('runs'),
  },
  {
    name: 'budget',
    form: 'property',
    contexts: experimentLike,
    doc: 'Budget assertions, checked at compile time.',
    example: 'budget(trainable: <=1.1M, share: <=1.5%)',
    value: { kind: 'call', family: 'budget' },
  },
  {
    name: 'slurm',
    form: 'property',
    contexts: experimentLike,
    doc: 'What each task of `lpt run --slurm` asks the cluster for (docs/SLURM.md); `--slurm-option KEY=VALUE` wins over it.',
    example: 'slurm(partition: "gpu", time: "24:00:00")',
    value: { kind: 'call', family: 'slurm' },
  },
  {
    name: 'data',
    form: 'block',
    contexts: experimentLike,
    doc: 'Named data splits, each a pipeline `source | longtail(...) | transform...`; `train` is required.',
    example: 'data { train = mnist(split: train) | longtail(ratio: 100) }',
  },

  // Model declarations.
  {
    name: 'backbone',
    form: 'declaration',
    contexts: experimentLike,
    doc: 'A frozen backbone.',
    example: 'backbone vit = vit(image: 224, patch: 16)',
    value: { kind: 'call', family: 'backbone' },
  },
  {
    name: 'prompt',
    form: 'declaration',
    contexts: experimentLike,
    doc: 'A deep prompt or a prompt pool on a backbone (`on NAME`).',
    example: 'prompt shared = deep(length: 10) on vit',
    value: { kind: 'call', family: 'prompt' },
  },
  {
    name: 'adapter',
    form: 'declaration',
    contexts: experimentLike,
    doc: 'Adapters on a backbone (`on NAME`).',
    example: 'adapter ada = adaptformer(bottleneck: 64) on vit',
    value: { kind: 'call', family: 'adapter' },
  },
  {
    name: 'head',
    form: 'declaration',
    contexts: experimentLike,
    doc: 'A classifier head (its width is that of the backbone of the expert using it).',
    example: 'head cls = cosine(scale: 20)',
    value: { kind: 'call', family: 'head' },
  },
  {
    name: 'expert',
    form: 'declaration',
    contexts: experimentLike,
    doc: 'A backbone with modules and a head; without expert declarations the experiment has one implicit expert.',
    example: 'expert visual = expert(backbone: vit, modules: [shared, group], head: cls)',
    value: { kind: 'call', family: 'expert' },
  },
  {
    name: 'scorer',
    form: 'declaration',
    contexts: experimentLike,
    doc: 'The LPT++ mixture-of-experts scorer.',
    example: 'scorer mix = moe(experts: [visual, vl])',
    value: { kind: 'call', family: 'scorer' },
  },

  // Phases.
  {
    name: 'phase',
    form: 'block',
    contexts: experimentLike,
    doc: 'A training phase; `after NAME` runs it after that phase and starts from its trained modules.',
    example: 'phase two after one { train group, cls }',
  },
  {
    name: 'train',
    form: 'property',
    contexts: ['phase'],
    doc: 'Modules trained in this phase; every other module and every backbone stays frozen.',
    example: 'train shared, cls',
    value: moduleList,
    multiple: true,
    default: derived('none: every phase must train something'),
  },
  {
    name: 'freeze',
    form: 'property',
    contexts: ['phase'],
    doc: 'Modules explicitly frozen (documentation and a check: they may not be trained).',
    example: 'freeze shared',
    value: moduleList,
    multiple: true,
    default: value([]),
  },
  {
    name: 'loss',
    form: 'property',
    contexts: ['phase'],
    doc: 'The loss: a weighted sum of loss terms; weights may be numbers or linear(...) schedules.',
    example: 'loss agcl - 0.5 * matching',
    value: { kind: 'loss' },
    default: value('ce'),
  },
  {
    name: 'sample',
    form: 'property',
    contexts: ['phase'],
    doc: 'The batch sampler.',
    example: 'sample dual(per_class: 4)',
    value: { kind: 'call', family: 'sampler' },
    inherited: true,
    default: value('instance'),
  },
  {
    name: 'optim',
    form: 'property',
    contexts: ['phase'],
    doc: 'The optimiser; lr is given at base_batch and scaled to the batch.',
    example: 'optim sgd(lr: 0.02, weight_decay: 0.01)',
    value: { kind: 'call', family: 'optimizer' },
    inherited: true,
    default: value('sgd'),
  },
  {
    name: 'schedule',
    form: 'property',
    contexts: ['phase'],
    doc: 'The learning-rate schedule.',
    example: 'schedule cosine(warmup: 1)',
    value: { kind: 'call', family: 'schedule' },
    inherited: true,
    default: value('cosine'),
  },
  {
    name: 'epochs',
    form: 'property',
    contexts: ['phase'],
    doc: 'Epochs of this phase.',
    example: 'epochs 90',
    value: { kind: 'int', min: 1 },
    inherited: true,
    default: value(90),
  },
  {
    name: 'split',
    form: 'property',
    contexts: ['phase'],
    doc: 'The data split the phase trains on; not inherited. A split held out of the train split lets the MoE scorer learn from images the experts never fitted.',
    example: 'split scorer_fit',
    value: { kind: 'ref', to: 'split' },
    default: value('train'),
  },
  {
    name: 'batch',
    form: 'property',
    contexts: ['phase'],
    doc: 'Batch size (per stream for dual sampling).',
    example: 'batch 64',
    value: { kind: 'int', min: 1 },
    inherited: true,
    default: value(256),
  },
  {
    name: 'micro_batch',
    form: 'property',
    contexts: ['phase'],
    doc: 'Images per stream that one forward and backward pass holds: the step splits each batch into micro-batches and adds their gradients up before the one update (the same update). At most the batch.',
    example: 'micro_batch 4',
    value: { kind: 'int', min: 1 },
    inherited: true,
    default: derived('chosen by `lpt run` from the memory estimate and the device'),
  },

  // Evaluation.
  {
    name: 'evaluate',
    form: 'block',
    contexts: experimentLike,
    doc: 'Evaluate on a data split (its name).',
    example: 'evaluate test { metrics overall, shots }',
  },
  {
    name: 'shots',
    form: 'property',
    contexts: ['evaluate'],
    doc: 'Shot-group boundaries.',
    example: 'shots(many: >100, few: <20)',
    value: { kind: 'call', family: 'shots' },
    default: derived('many >100, few <=20'),
  },
  {
    name: 'metrics',
    form: 'property',
    contexts: ['evaluate'],
    doc: 'What to report.',
    example: 'metrics overall, shots, per_class',
    value: { kind: 'enum', values: METRICS },
    multiple: true,
    default: value(METRICS),
  },
  {
    name: 'every',
    form: 'property',
    contexts: ['evaluate'],
    doc: 'When to evaluate: at the end of the run, after every phase, or every N epochs.',
    example: 'every phase',
    value: {
      kind: 'oneOf',
      of: [
        { kind: 'enum', values: EVERY_NAMES },
        { kind: 'int', min: 1 },
      ],
    },
    default: value('end'),
  },
  {
    name: 'model',
    form: 'property',
    contexts: ['evaluate'],
    doc: 'The expert or scorer to evaluate.',
    example: 'model mix',
    value: { kind: 'ref', to: 'model' },
    default: derived('the scorer if any, else the only expert'),
  },

  // Ablations.
  {
    name: 'variant',
    form: 'block',
    contexts: ['ablation'],
    doc: 'One variant: experiment statements that patch the base, plus drop and vary.',
    example: 'variant "VPT" { drop two; phase one { loss ce } }',
  },
  {
    name: 'vary',
    form: 'declaration',
    contexts: ['ablation', 'variant'],
    doc: 'One variant per listed value of an overridable target (crossed with the other varies of the same block).',
    example: 'vary group.top = [1, 2, 3]',
    value: { kind: 'list', of: { kind: 'number' } },
  },
  {
    name: 'drop',
    form: 'property',
    contexts: ['ablation', 'variant'],
    doc: 'Remove phases (or modules, splits, evaluations) from the base.',
    example: 'drop two',
    value: { kind: 'ref', to: 'phase' },
    multiple: true,
  },
];

const byContext = new Map<Context, Map<string, KeywordSpec>>();
for (const spec of keywordSpecs) {
  for (const context of spec.contexts) {
    let map = byContext.get(context);
    if (!map) byContext.set(context, (map = new Map()));
    map.set(spec.name, spec);
  }
}

export function keywordIn(context: Context, name: string): KeywordSpec | undefined {
  return byContext.get(context)?.get(name);
}

export function keywordsIn(context: Context): readonly string[] {
  return [...(byContext.get(context)?.keys() ?? [])];
}

export function anyKeyword(name: string): KeywordSpec | undefined {
  return keywordSpecs.find((k) => k.name === name);
}

/** The default value a keyword declares (the docs show it); throws for one without a plain value. */
export function keywordDefault(keyword: string): string | number {
  const d = anyKeyword(keyword)?.default;
  const v = d && 'value' in d ? d.value : undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`the spec declares no default for '${keyword}'`);
  return v;
}

/** How a context is named in messages. */
export const contextNames: Readonly<Record<Context, string>> = {
  file: 'a file',
  experiment: 'an experiment',
  data: 'a data block',
  phase: 'a phase',
  evaluate: 'an evaluate block',
  ablation: 'an ablation',
  variant: 'a variant',
};
