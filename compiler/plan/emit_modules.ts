/** Lowering the model: backbones with their weights, prompts, pools, adapters, heads, experts and the scorer. */
import { resolveLayers, type ExpertInfo, type ModelIndex } from '../check/model_index.ts';
import type { TypedDecl } from '../check/typed.ts';
import type { CallIn } from '../check/typed_call.ts';
import { isRef } from '../check/values.ts';
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
  PlanTextProjection,
  PlanWeights,
} from '../../plan/plan.ts';
import { templateSets, type TemplateSetName } from '../spec/template_sets.ts';
import type { WeightFormat } from '../../plan/enums.ts';

/** The call a declaration checked to (emitting runs only on models without errors, so it has one). */
function declCall(decl: TypedDecl): CallIn<TypedDecl['keyword']> {
  if (!decl.call) throw new Error(`'${decl.name}' has no checked call`);
  return decl.call;
}

export function emitBackbone(decl: TypedDecl, cwd: string): PlanBackbone {
  const call = declCall(decl);
  if (call.name !== 'vit') throw new Error(`backbone '${decl.name}' is not a vit`);
  const { settings } = call;
  const { image, patch, dim, depth, channels, mlp_ratio: mlpRatio, naming } = settings;
  const shape = { image, patch, dim, depth, channels, mlpRatio };
  const path = settings.weights;
  const weights: PlanWeights | null =
    path === undefined ? null : { path: planPath(path, cwd), format: settings.format ?? weightFormat(path), naming };
  return {
    name: decl.name,
    arch: 'vit',
    image,
    patch,
    dim,
    depth,
    heads: vitHeads(settings),
    channels,
    mlpRatio,
    eps: settings.eps,
    act: settings.act ?? (naming === 'clip' ? 'quick_gelu' : 'gelu'),
    weights,
    params: vitParams(shape),
  };
}

/** The format of a weights file written without `format`, from its extension. */
function weightFormat(path: string): WeightFormat {
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
    const call = decl.call;
    if (!backbone || !call) continue;
    if (call.name === 'deep') {
      const { length, init_std: initStd } = call.settings;
      const layers = resolveLayers(call.settings.layers, backbone.depth);
      prompts.push({
        name: decl.name,
        backbone: backbone.name,
        length,
        layers,
        initStd,
        params: deepPromptParams(layers.length, length, backbone.dim),
      });
    } else if (call.name === 'pool') {
      const { size, length, keys, top, combine, query, init_std: initStd, key_init: keyInit } = call.settings;
      const layers = resolveLayers(call.settings.layers, backbone.depth);
      pools.push({
        name: decl.name,
        backbone: backbone.name,
        size,
        length,
        layers,
        keys,
        top,
        combine,
        query: isRef(query) ? query.name : query === 'none' ? null : defaultQuery(ctx, decl, backbone.name),
        initStd,
        keyInit,
        params: poolParams(size, layers.length, length, backbone.dim),
        keyParams: keyParams(size, backbone.dim),
      });
    } else if (call.name === 'adaptformer') {
      const { bottleneck, scale, init } = call.settings;
      const layers = resolveLayers(call.settings.layers, backbone.depth);
      adapters.push({
        name: decl.name,
        backbone: backbone.name,
        kind: 'adaptformer',
        bottleneck,
        scale,
        layers,
        init,
        params: adapterParams(layers.length, backbone.dim, bottleneck),
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

function emitHead(decl: TypedDecl, dim: number, ctx: ModuleContext): PlanHead {
  const call = declCall(decl);
  const { classes, cwd } = ctx;
  if (call.name === 'linear' || call.name === 'cosine') {
    const { dropout, init } = call.settings;
    const base = { name: decl.name, dim, classes, dropout };
    if (call.name === 'linear') {
      const { bias } = call.settings;
      return { ...base, kind: 'linear', bias, init, params: linearHeadParams(classes, dim, bias) };
    }
    const { scale } = call.settings;
    return { ...base, kind: 'cosine', scale, init, params: linearHeadParams(classes, dim, false) };
  }
  if (call.name !== 'text') throw new Error(`head '${decl.name}' is not a head call`);
  const { dropout, scale, tune, embeddings } = call.settings;
  const embedDim = call.settings.embed_dim ?? dim;
  const names = call.settings.classes ?? call.settings.classnames;
  const projection: PlanTextProjection = embedDim === dim ? 'none' : (call.settings.projection ?? 'frozen');
  const encoder = emitTextEncoder(call, ctx);
  return {
    name: decl.name,
    dim,
    classes,
    dropout,
    kind: 'text',
    // The encoder form starts from a CLIP checkpoint: its own logit scale unless the file sets one.
    scale: scale ?? (encoder !== null ? 'checkpoint' : DEFAULT_TEXT_SCALE),
    embeddings: embeddings === undefined ? null : planPath(embeddings, cwd),
    encoder,
    classnames: names === undefined ? null : typeof names === 'string' ? planPath(names, cwd) : [...names],
    templates: emitTemplates(call, cwd),
    embedDim,
    tune,
    projection,
    params: textHeadParams(classes, dim, embedDim, tune, projection),
  };
}

/** A text head's scale from an embeddings file, as a cosine head's. */
const DEFAULT_TEXT_SCALE = 20;

/** `templates`: a file stays a path, a named set is written out; else the one `template`. */
function emitTemplates(
  call: Extract<CallIn<'head'>, { readonly name: 'text' }>,
  cwd: string,
): string | readonly string[] {
  const given = call.args.get('templates');
  const value = call.settings.templates;
  if (given?.node.value.kind === 'String' && typeof value === 'string') return planPath(value, cwd);
  if (typeof value === 'string') return templateSets[value as TemplateSetName];
  if (Array.isArray(value)) return value.map(String);
  return [call.settings.template];
}

/** The text head's encoder form: the backbone's checkpoint (or `encoder_weights`) and its activation. */
function emitTextEncoder(
  { settings }: Extract<CallIn<'head'>, { readonly name: 'text' }>,
  { backbones, cwd }: ModuleContext,
): PlanTextEncoder | null {
  const backbone = settings.encoder && backbones.get(settings.encoder.name);
  if (!backbone) return null;
  const own = settings.encoder_weights;
  const weights = own === undefined ? backbone.weights : { path: planPath(own, cwd), format: weightFormat(own) };
  if (!weights) return null; // TextEncoderWithoutWeights
  const naming = settings.encoder_naming;
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

function emitScorer(decl: TypedDecl, ctx: ModuleContext, experts: readonly ExpertInfo[]): PlanScorer {
  const call = declCall(decl);
  if (call.name !== 'moe') throw new Error(`scorer '${decl.name}' is not a moe call`);
  const { input, hidden, gate, weights, calibrate, calibrate_on: calibrateOn } = call.settings;
  const names = call.settings.experts.map((r) => r.name);
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
    gate,
    weights,
    ...(calibrate === 'none' ? {} : { calibration: { method: calibrate, split: calibrateOn?.name ?? 'train' } }),
    ...(call.settings.mix === 'logits' ? { mix: 'logits' as const } : {}),
    params: mlpParams(inputWidth, hidden, outputWidth),
  };
}
