/**
 * Spec of the model calls: the frozen ViT backbone, prompts (VPT-deep shared prompt and the LPT
 * group prompt pool), AdaptFormer adapters, classifier heads, experts and the LPT++ MoE scorer.
 * docs/METHOD.md gives each default its source (ViT-B/16 at paper scale).
 * VPT: arXiv 2203.12119; LPT: arXiv 2210.01033; AdaptFormer: arXiv 2205.13535; LPT++: arXiv 2409.11323.
 */
import {
  ACTIVATIONS,
  ADAPTER_INITS,
  CALIBRATION_METHODS,
  HEAD_INITS,
  type HeadInit,
  KEY_INITS,
  POOL_COMBINES,
  POOL_KEYS,
  SCORER_GATES,
  SCORER_INPUTS,
  SCORER_WEIGHTS,
  TEXT_NAMINGS,
  WEIGHT_FORMATS,
  WEIGHT_NAMINGS,
} from '../../plan/enums.ts';
import { derived, value, type ArgType, type CallSpec } from './types.ts';
import { templateSetNames } from './template_sets.ts';

const layers = { kind: 'layers' } as const satisfies ArgType;
const initStd = {
  name: 'init_std',
  type: { kind: 'number', above: 0 },
  default: value(0.02),
  doc: 'Std of the truncated-normal initialisation.',
} as const;

export const backboneSpecs = [
  {
    name: 'vit',
    family: 'backbone',
    doc: 'A frozen pre-norm Vision Transformer (CLS token, learned position embedding, final LayerNorm).',
    example: 'vit(image: 224, patch: 16, dim: 768, depth: 12, heads: 12, weights: "weights/vit_b16.npz", naming: npz)',
    args: [
      {
        name: 'image',
        type: { kind: 'int', min: 1 },
        default: value(224),
        doc: 'Input image size in pixels (square).',
      },
      { name: 'patch', type: { kind: 'int', min: 1 }, default: value(16), doc: 'Patch size in pixels.' },
      { name: 'dim', type: { kind: 'int', min: 1 }, default: value(768), doc: 'Token width D.' },
      { name: 'depth', type: { kind: 'int', min: 1 }, default: value(12), doc: 'Number of transformer blocks N.' },
      {
        name: 'heads',
        type: { kind: 'int', min: 1 },
        default: derived('dim / 64 (at least 1)'),
        doc: 'Attention heads; must divide dim.',
      },
      {
        name: 'channels',
        type: { kind: 'int', min: 1 },
        default: value(3),
        doc: 'Input channels (1 for grey images).',
      },
      { name: 'mlp_ratio', type: { kind: 'number', above: 0 }, default: value(4), doc: 'MLP hidden width / dim.' },
      { name: 'eps', type: { kind: 'number', above: 0 }, default: value(1e-6), doc: 'LayerNorm epsilon.' },
      {
        name: 'act',
        type: { kind: 'enum', values: ACTIVATIONS },
        default: derived('quick_gelu for clip naming, else gelu'),
        doc: 'MLP activation.',
      },
      {
        name: 'weights',
        type: { kind: 'path' },
        doc: 'Pretrained weights file; without it the backbone stays at its random initialisation.',
      },
      {
        name: 'format',
        type: { kind: 'enum', values: WEIGHT_FORMATS },
        default: derived("from the weights file's extension"),
        doc: 'Weight file format.',
      },
      {
        name: 'naming',
        type: { kind: 'enum', values: WEIGHT_NAMINGS },
        default: value('lpt'),
        doc: 'Tensor naming scheme of the weights file.',
      },
    ],
  },
] as const satisfies readonly CallSpec[];

export const promptSpecs = [
  {
    name: 'deep',
    family: 'prompt',
    doc: 'VPT-deep prompt: each listed block gets its own `length` fresh tokens, dropped after the block (the LPT shared prompt).',
    example: 'deep(length: 10, layers: all)',
    args: [
      { name: 'length', type: { kind: 'int', min: 1 }, default: value(10), doc: 'Prompt tokens per block (L_p).' },
      { name: 'layers', type: layers, default: value('all'), doc: 'Blocks that get prompt tokens (1-based).' },
      initStd,
    ],
  },
  {
    name: 'pool',
    family: 'prompt',
    doc: 'LPT group prompt pool: `size` deep prompts with one key each; the top-k entries by cosine(query, key) are combined.',
    example: 'pool(size: 20, length: 10, layers: last_half, top: 2, query: shared)',
    args: [
      { name: 'size', type: { kind: 'int', min: 1 }, default: value(20), doc: 'Pool entries m.' },
      { name: 'length', type: { kind: 'int', min: 1 }, default: value(10), doc: 'Prompt tokens per block and entry.' },
      {
        name: 'layers',
        type: layers,
        default: value('last_half'),
        doc: 'Blocks that get group prompts (default: the last N/2 blocks).',
      },
      {
        name: 'keys',
        type: { kind: 'enum', values: POOL_KEYS },
        default: value('learned'),
        doc: 'Keys trained (with the matching loss) or kept at their random initialisation.',
      },
      { name: 'top', type: { kind: 'int', min: 1 }, default: value(2), doc: 'Entries selected per image (k).' },
      {
        name: 'combine',
        type: { kind: 'enum', values: POOL_COMBINES },
        default: value('mean'),
        doc: 'How the selected entries are combined.',
      },
      {
        name: 'query',
        type: {
          kind: 'oneOf',
          of: [
            { kind: 'enum', values: ['none'] },
            { kind: 'ref', to: 'deep_prompt' },
          ],
        },
        default: derived('the only deep prompt on the same backbone, else none'),
        doc: 'Deep prompt whose final CLS feature is the query (none: the plain backbone).',
      },
      initStd,
      {
        name: 'key_init',
        type: { kind: 'enum', values: KEY_INITS },
        default: value('normal'),
        doc: "Initial keys: truncated normal with std 0.02 (the authors' code) or uniform in [-1, 1] (L2P).",
      },
    ],
  },
] as const satisfies readonly CallSpec[];

export const adapterSpecs = [
  {
    name: 'adaptformer',
    family: 'adapter',
    doc: 'AdaptFormer parallel bottleneck beside each block MLP: x + MLP(LN(x)) + scale * up(GELU(down(LN(x)))).',
    example: 'adaptformer(bottleneck: 64, scale: 0.1)',
    args: [
      {
        name: 'bottleneck',
        type: { kind: 'int', min: 1 },
        default: value(64),
        doc: 'Bottleneck width (64 at ViT-B; use less for tiny models).',
      },
      { name: 'scale', type: { kind: 'number' }, default: value(0.1), doc: 'Scale of the adapter branch.' },
      { name: 'layers', type: layers, default: value('all'), doc: 'Blocks that get an adapter.' },
      {
        name: 'init',
        type: { kind: 'enum', values: ADAPTER_INITS },
        default: value('zero'),
        doc: 'Up-projection init: zero (the block starts as the frozen one) or normal.',
      },
    ],
  },
] as const satisfies readonly CallSpec[];

const scale = {
  name: 'scale',
  type: { kind: 'number', above: 0 },
  default: value(20),
  doc: 'Logit scale s applied to the cosine logits in the loss.',
} as const;
const headInit = (d: HeadInit) =>
  ({
    name: 'init',
    type: { kind: 'enum', values: HEAD_INITS },
    default: value(d),
    doc: "Initial class weights: uniform directions with unit norm (the authors' cosine head) or truncated normal with std 0.02 (timm).",
  }) as const;
const dropout = (d: number) =>
  ({
    name: 'dropout',
    type: { kind: 'number', min: 0, below: 1 },
    default: value(d),
    doc: 'Dropout on the feature during training.',
  }) as const;

export const headSpecs = [
  {
    name: 'linear',
    family: 'head',
    doc: 'Linear classifier on the final CLS feature.',
    example: 'linear(bias: true)',
    args: [
      { name: 'bias', type: { kind: 'bool' }, default: value(true), doc: 'Learn a bias per class.' },
      dropout(0),
      headInit('normal'),
    ],
  },
  {
    name: 'cosine',
    family: 'head',
    doc: 'Cosine classifier without bias: z_j = cos(f, w_j); the scale is applied in the loss.',
    example: 'cosine(scale: 20)',
    args: [scale, dropout(0.1), headInit('unit')],
  },
  {
    name: 'text',
    family: 'head',
    doc: 'Cosine classifier initialised from text embeddings of the class names (the VL expert): precomputed (`embeddings`) or computed at run time by the CLIP text tower of a backbone checkpoint (`encoder`), cached on disk.',
    example: 'text(encoder: clip, template: "a photo of a {}", classes: "classes/places365.txt", tune: true)',
    args: [
      {
        name: 'embeddings',
        type: { kind: 'path' },
        doc: 'File of class-name (or prompt) embeddings; give this or `encoder`.',
      },
      {
        name: 'encoder',
        type: { kind: 'ref', to: 'backbone' },
        doc: "Backbone whose CLIP checkpoint holds the text tower; the class embeddings are computed at run time and cached (key: the weights file's hash, the templates, the class list). Give this or `embeddings`.",
      },
      {
        name: 'encoder_weights',
        type: { kind: 'path' },
        default: derived("the encoder backbone's weights file"),
        doc: 'Checkpoint holding the text tower, when it is not the backbone file.',
      },
      {
        name: 'encoder_naming',
        type: { kind: 'enum', values: TEXT_NAMINGS },
        default: value('clip'),
        doc: 'Tensor naming of the text tower (OpenAI CLIP, open_clip, Hugging Face CLIPTextModelWithProjection).',
      },
      {
        name: 'classes',
        type: { kind: 'oneOf', of: [{ kind: 'path' }, { kind: 'list', of: { kind: 'string' }, minItems: 1 }] },
        doc: 'Class names in label order: a file, one per line, or a list. Needed with `encoder`.',
      },
      {
        name: 'classnames',
        type: { kind: 'oneOf', of: [{ kind: 'path' }, { kind: 'list', of: { kind: 'string' }, minItems: 1 }] },
        doc: 'Older spelling of `classes`; with `embeddings`, default: the names in the embeddings file.',
      },
      {
        name: 'template',
        type: { kind: 'string' },
        default: value('a photo of a {}'),
        doc: 'Prompt template; its one {} is the class name.',
      },
      {
        name: 'templates',
        type: {
          kind: 'oneOf',
          of: [
            { kind: 'path' },
            { kind: 'enum', values: templateSetNames },
            { kind: 'list', of: { kind: 'string' }, minItems: 1 },
          ],
        },
        doc: "A template ensemble (encoder form): a file (one template per line), a list, or a named set (`imagenet80`: OpenAI's 80 ImageNet templates). Each class embedding is the normalised mean of its templates' normalised embeddings. Instead of `template`.",
      },
      {
        name: 'embed_dim',
        type: { kind: 'int', min: 1 },
        default: derived('the backbone dim'),
        doc: 'Width of the text embeddings; when it differs from the backbone dim, a projection maps the feature to it (see `projection`).',
      },
      {
        name: 'projection',
        type: { kind: 'enum', values: ['frozen', 'tune', 'random'] },
        default: derived('frozen when embed_dim differs from the backbone dim, else none'),
        doc: "How the feature reaches embed_dim: `frozen`, the backbone's own projection (CLIP's visual.proj), frozen like the backbone, so the untrained head is CLIP's zero-shot classifier; `tune`, that projection trained with the head; `random`, a new trainable projection (a backbone without one).",
      },
      {
        name: 'tune',
        type: { kind: 'bool' },
        default: value(true),
        doc: 'Whether the text-initialised weights are trainable.',
      },
      {
        ...scale,
        default: derived("with `encoder`, the checkpoint's own: exp(logit_scale), 100 for OpenAI CLIP; else 20"),
        doc: "Logit scale s applied to the cosine logits in the loss. From a CLIP checkpoint the default is CLIP's learned one, so training starts as sharp as CLIP's zero-shot softmax; predictions do not depend on it.",
      },
      dropout(0),
    ],
  },
] as const satisfies readonly CallSpec[];

export const expertSpecs = [
  {
    name: 'expert',
    family: 'expert',
    doc: 'One classifier: a backbone with its prompts and adapters, and a head.',
    example: 'expert(backbone: vit, modules: [shared, group], head: cls)',
    args: [
      { name: 'backbone', type: { kind: 'ref', to: 'backbone' }, required: true, doc: 'The frozen backbone.' },
      {
        name: 'modules',
        type: { kind: 'list', of: { kind: 'ref', to: 'module' } },
        default: value([]),
        doc: 'Prompts and adapters used on the backbone.',
      },
      { name: 'head', type: { kind: 'ref', to: 'head' }, required: true, doc: 'The classifier head.' },
    ],
  },
] as const satisfies readonly CallSpec[];

export const scorerSpecs = [
  {
    name: 'moe',
    family: 'scorer',
    doc: "LPT++ mixture scorer: an MLP gives per-sample weights alpha_e(x); prediction = sum_e alpha_e(x) * p_e(x). Trained with the phase's loss.",
    example: 'moe(experts: [visual, vl], input: confidence, hidden: 64, gate: softmax)',
    args: [
      {
        name: 'experts',
        type: { kind: 'list', of: { kind: 'ref', to: 'expert' } },
        required: true,
        doc: 'The experts to combine (at least two).',
      },
      {
        name: 'input',
        type: { kind: 'enum', values: SCORER_INPUTS },
        default: value('confidence'),
        doc: "Scorer input: each expert's softmax vector, its CLS feature, or both, concatenated.",
      },
      {
        name: 'hidden',
        type: { kind: 'int', min: 0 },
        default: value(64),
        doc: 'Hidden width of the MLP (0: a single linear layer).',
      },
      {
        name: 'gate',
        type: { kind: 'enum', values: SCORER_GATES },
        default: value('softmax'),
        doc: 'Normalisation of the expert weights.',
      },
      {
        name: 'weights',
        type: { kind: 'enum', values: SCORER_WEIGHTS },
        default: value('per_expert'),
        doc: 'One weight per expert, or one per expert and class.',
      },
      {
        name: 'mix',
        type: { kind: 'enum', values: ['probabilities', 'logits'] },
        default: value('probabilities'),
        doc: "What the weights mix: the experts' probabilities, q = sum_e alpha_e p_e (LPT++'s mixture of confidence scores, and the default, so that an untrained scorer is the plain average of the experts' probabilities), or their logits normalised by log-softmax, q = softmax(sum_e alpha_e log p_e) (a weighted geometric mean of the probabilities; with per-expert weights the same as mixing the scaled logits themselves).",
      },
      {
        name: 'calibrate',
        type: { kind: 'enum', values: ['none', ...CALIBRATION_METHODS] },
        default: value('none'),
        doc: "Calibration of the experts before they are mixed: 'temperature' divides each expert's logits by its own temperature T_e, fitted (experts frozen) by minimising the NLL of softmax(logits / T_e) on the `calibrate_on` split; the scorer's input confidences and the mixture (trained or the untrained equal average) use the calibrated probabilities. A single expert's evaluation is unchanged (argmax does not depend on T).",
      },
      {
        name: 'calibrate_on',
        type: { kind: 'ref', to: 'split' },
        default: derived('train'),
        doc: 'The split the temperatures are fitted on, typically one held out of the train split (`holdout(...)`); not a split the experiment evaluates. Only with `calibrate: temperature`.',
      },
    ],
  },
] as const satisfies readonly CallSpec[];
