/** Lowering the model: backbones with their weights, prompts, pools, adapters, heads, experts and the scorer. */
import {
  argOrDefault,
  numberArg,
  resolveLayers,
  stringArg,
  type ExpertInfo,
  type ModelIndex,
} from '../check/model_index.ts';
import type { TypedDecl } from '../check/typed.ts';
import { isRef, type Value } from '../check/values.ts';
import { extensionOf, planPath } from '../program/paths.ts';
import {
  adapterParams,
  deepPromptParams,
  keyParams,
  linearHeadParams,
  mlpParams,
  poolParams,
  textHeadParams,
  vitHeads,
  vitParams,
} from './params.ts';
import type {
  PlanAdapter,
  PlanBackbone,
  PlanDeepPrompt,
  PlanExpert,
  PlanHead,
  PlanModules,
  PlanPool,
  PlanScorer,
  PlanTextEncoder,
  PlanWeights,
} from '../../plan/plan.ts';

export function emitBackbone(decl: TypedDecl, cwd: string): PlanBackbone {
  const call = decl.call!;
  const n = (name: string): number => numberArg(call, name)!;
  const shape = {
    image: n('image'),
    patch: n('patch'),
    dim: n('dim'),
    depth: n('depth'),
    channels: n('channels'),
    mlpRatio: n('mlp_ratio'),
  };
  const naming = (stringArg(call, 'naming') ?? 'lpt') as PlanWeights['naming'];
  const path = call.args.get('weights')?.value;
  const weights: PlanWeights | null =
    typeof path === 'string'
      ? { path: planPath(path, cwd), format: weightFormat(call.args.get('format')?.value, path), naming }
      : null;
  const act = stringArg(call, 'act') ?? (naming === 'clip' ? 'quick_gelu' : 'gelu');
  const { image, patch, dim, depth, channels, mlpRatio } = shape;
  return {
    name: decl.name,
    arch: 'vit',
    image,
    patch,
    dim,
    depth,
    heads: vitHeads(call)!,
    channels,
    mlpRatio,
    eps: n('eps'),
    act: act as PlanBackbone['act'],
    weights,
    params: vitParams(shape),
  };
}

function weightFormat(given: Value | undefined, path: string): PlanWeights['format'] {
  if (given === 'safetensors' || given === 'npz' || given === 'tfjs') return given;
  const ext = extensionOf(path);
  return ext === '.npz' ? 'npz' : ext === '.json' || ext === '' ? 'tfjs' : 'safetensors';
}

export interface ModuleContext {
  readonly index: ModelIndex;
  readonly backbones: ReadonlyMap<string, PlanBackbone>;
  readonly classes: number;
  readonly cwd: string;
}

export function emitModules(ctx: ModuleContext): PlanModules {
  const { index } = ctx;
  const prompts: PlanDeepPrompt[] = [];
  const pools: PlanPool[] = [];
  const adapters: PlanAdapter[] = [];
  for (const decl of [...index.declsOf('prompt'), ...index.declsOf('adapter')]) {
    const backbone = ctx.backbones.get(index.backboneOf(decl) ?? '');
    if (!backbone || !decl.call) continue;
    const call = decl.call;
    const n = (name: string): number => numberArg(call, name)!;
    const layers = resolveLayers(argOrDefault(call, 'layers'), backbone.depth);
    if (call.name === 'deep') {
      prompts.push({
        name: decl.name,
        backbone: backbone.name,
        length: n('length'),
        layers,
        initStd: n('init_std'),
        params: deepPromptParams(layers.length, n('length'), backbone.dim),
      });
    } else if (call.name === 'pool') {
      const query = call.args.get('query')?.value;
      pools.push({
        name: decl.name,
        backbone: backbone.name,
        size: n('size'),
        length: n('length'),
        layers,
        keys: stringArg(call, 'keys') === 'fixed' ? 'fixed' : 'learned',
        top: n('top'),
        combine: stringArg(call, 'combine') === 'concat' ? 'concat' : 'mean',
        query: isRef(query) ? query.name : query === 'none' ? null : defaultQuery(ctx, decl, backbone.name),
        initStd: n('init_std'),
        keyInit: stringArg(call, 'key_init') === 'uniform' ? 'uniform' : 'normal',
        params: poolParams(n('size'), layers.length, n('length'), backbone.dim),
        keyParams: keyParams(n('size'), backbone.dim),
      });
    } else {
      adapters.push({
        name: decl.name,
        backbone: backbone.name,
        kind: 'adaptformer',
        bottleneck: n('bottleneck'),
        scale: n('scale'),
        layers,
        init: stringArg(call, 'init') === 'normal' ? 'normal' : 'zero',
        params: adapterParams(layers.length, backbone.dim, n('bottleneck')),
      });
    }
  }
  const experts = index.experts();
  const heads = index.declsOf('head').map((decl) => emitHead(decl, headDim(ctx, experts, decl.name), ctx));
  const scorerDecl = index.scorer();
  return {
    prompts,
    pools,
    adapters,
    heads,
    experts: experts.map((e) => emitExpert(index, e)),
    scorer: scorerDecl?.call ? emitScorer(scorerDecl, ctx, experts) : null,
  };
}

/** The only deep prompt on the pool's backbone, else none. */
function defaultQuery(ctx: ModuleContext, pool: TypedDecl, backbone: string): string | null {
  const deep = ctx.index
    .declsOf('prompt')
    .filter((d) => d !== pool && d.call?.name === 'deep' && ctx.index.backboneOf(d) === backbone);
  return deep.length === 1 ? deep[0]!.name : null;
}

function headDim(ctx: ModuleContext, experts: readonly ExpertInfo[], head: string): number {
  const backbone = experts.find((e) => e.head === head)?.backbone ?? [...ctx.backbones.keys()][0];
  return ctx.backbones.get(backbone ?? '')?.dim ?? 0;
}

function emitHead(decl: TypedDecl, dim: number, { classes, cwd, backbones }: ModuleContext): PlanHead {
  const call = decl.call!;
  const dropout = numberArg(call, 'dropout')!;
  const base = { name: decl.name, dim, classes, dropout };
  const init = argOrDefault(call, 'init') === 'unit' ? 'unit' : 'normal';
  if (call.name === 'linear') {
    const bias = argOrDefault(call, 'bias') !== false;
    return { ...base, kind: 'linear', bias, init, params: linearHeadParams(classes, dim, bias) };
  }
  const scale = numberArg(call, 'scale')!;
  if (call.name === 'cosine')
    return { ...base, kind: 'cosine', scale, init, params: linearHeadParams(classes, dim, false) };
  const embedDim = numberArg(call, 'embed_dim') ?? dim;
  const tune = argOrDefault(call, 'tune') !== false;
  const names = (call.args.get('classes') ?? call.args.get('classnames'))?.value;
  const embeddings = call.args.get('embeddings')?.value;
  return {
    ...base,
    kind: 'text',
    scale,
    embeddings: typeof embeddings === 'string' ? planPath(embeddings, cwd) : null,
    encoder: emitTextEncoder(decl, backbones, cwd),
    classnames: typeof names === 'string' ? planPath(names, cwd) : Array.isArray(names) ? names.map(String) : null,
    template: stringArg(call, 'template') ?? 'a photo of a {}',
    embedDim,
    tune,
    projection: embedDim !== dim,
    params: textHeadParams(classes, dim, embedDim, tune),
  };
}

/** The text head's encoder form: the backbone's checkpoint (or `encoder_weights`) and its activation. */
function emitTextEncoder(
  decl: TypedDecl,
  backbones: ReadonlyMap<string, PlanBackbone>,
  cwd: string,
): PlanTextEncoder | null {
  const call = decl.call!;
  const ref = call.args.get('encoder')?.value;
  const backbone = isRef(ref) ? backbones.get(ref.name) : undefined;
  if (!backbone) return null;
  const own = call.args.get('encoder_weights')?.value;
  const weights =
    typeof own === 'string' ? { path: planPath(own, cwd), format: weightFormat(undefined, own) } : backbone.weights;
  if (!weights) return null; // TextEncoderWithoutWeights
  const naming = (stringArg(call, 'encoder_naming') ?? 'clip') as PlanTextEncoder['naming'];
  return { backbone: backbone.name, weights: weights.path, format: weights.format, naming, act: backbone.act };
}

function emitExpert(index: ModelIndex, expert: ExpertInfo): PlanExpert {
  const byKind = (kind: string): string[] =>
    expert.modules.map((m) => m.name).filter((name) => index.kindOf(name) === kind);
  return {
    name: expert.name,
    backbone: expert.backbone ?? '',
    prompts: byKind('deep_prompt'),
    pools: byKind('pool'),
    adapters: byKind('adapter'),
    head: expert.head ?? '',
  };
}

function refArg(call: NonNullable<TypedDecl['call']>, name: string): string | undefined {
  const v = call.args.get(name)?.value;
  return isRef(v) ? v.name : undefined;
}

function emitScorer(decl: TypedDecl, ctx: ModuleContext, experts: readonly ExpertInfo[]): PlanScorer {
  const call = decl.call!;
  const names =
    (call.args.get('experts')?.value as readonly Value[] | undefined)?.filter(isRef).map((r) => r.name) ?? [];
  const input = (stringArg(call, 'input') ?? 'confidence') as PlanScorer['input'];
  const weights = stringArg(call, 'weights') === 'per_class' ? 'per_class' : 'per_expert';
  const hidden = numberArg(call, 'hidden')!;
  const featureWidth = names.reduce(
    (sum, name) => sum + (ctx.backbones.get(experts.find((e) => e.name === name)?.backbone ?? '')?.dim ?? 0),
    0,
  );
  const confidenceWidth = names.length * ctx.classes;
  const inputWidth = (input === 'feature' ? 0 : confidenceWidth) + (input === 'confidence' ? 0 : featureWidth);
  const outputWidth = weights === 'per_expert' ? names.length : names.length * ctx.classes;
  return {
    name: decl.name,
    kind: 'moe',
    experts: names,
    input,
    hidden,
    gate: stringArg(call, 'gate') === 'sigmoid' ? 'sigmoid' : 'softmax',
    weights,
    ...(stringArg(call, 'calibrate') === 'temperature'
      ? { calibration: { method: 'temperature' as const, split: refArg(call, 'calibrate_on') ?? 'train' } }
      : {}),
    ...(stringArg(call, 'mix') === 'logits' ? { mix: 'logits' as const } : {}),
    params: mlpParams(inputWidth, hidden, outputWidth),
  };
}
