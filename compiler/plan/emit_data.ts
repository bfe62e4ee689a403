/** Lowering data splits: source files, the long-tail step with its defaults, and transforms. */
import { argOrDefault, numberArg, stringArg } from '../check/model_index.ts';
import { pipelineFacts } from '../check/pipeline.ts';
import type { TypedSplit } from '../check/typed.ts';
import type { CallValue, Value } from '../check/values.ts';
import type { CompilerHost } from '../host.ts';
import type { PlanLongTail, PlanSplit, PlanTransform } from '../../plan/plan.ts';
import { lowerSource } from './sources.ts';

/**
 * `backboneChannels`: what grey images and images of unknown channel count are decoded to.
 * `splits`: all of the experiment's splits (a held-out split reads the train split's source, and
 * the train split leaves out what it holds).
 */
export function emitSplit(
  split: TypedSplit,
  splits: readonly TypedSplit[],
  seed: number,
  backboneChannels: number,
  host: CompilerHost,
  cwd: string,
): PlanSplit {
  const train = splits.find((s) => s.name === 'train');
  const facts = pipelineFacts(split, train);
  if (!facts.source) throw new Error(`split '${split.name}' has no source after checking`);
  const holdouts = splits.flatMap((s) => {
    const h = pipelineFacts(s).holdout;
    return h === undefined ? [] : [{ name: s.name, call: h, perClass: numberArg(h, 'per_class')! }];
  });
  const mine = holdouts.findIndex((h) => h.name === split.name);
  const heldOut = split.name === 'train' ? holdouts[0]?.call : facts.holdout;
  // Several held-out splits are consecutive parts of one per-class order (DataSplitsRule: one seed).
  const perClass =
    split.name === 'train' ? holdouts.reduce((n, h) => n + h.perClass, 0) : (holdouts[mine]?.perClass ?? 0);
  const skip = holdouts.slice(0, Math.max(mine, 0)).reduce((n, h) => n + h.perClass, 0);
  // Image files decode to the backbone's channels; a grey source stays grey until `to_rgb`.
  const decoded = facts.sourceChannels ?? backboneChannels;
  let channels = decoded;
  const transforms = facts.transforms.map((t) => {
    if (t.name === 'to_rgb') channels = 3;
    return emitTransform(t, channels);
  });
  return {
    name: split.name,
    source: lowerSource(facts.source, host, cwd),
    longtail: facts.longtail ? emitLongTail(facts.longtail, seed) : null,
    transforms,
    imageSize: facts.size,
    channels,
    holdout: heldOut
      ? {
          keep: split.name === 'train' ? 'rest' : 'held_out',
          perClass,
          seed: numberArg(heldOut, 'seed') ?? seed,
          ...(skip > 0 ? { skip } : {}),
        }
      : null,
  };
}

function emitLongTail(call: CallValue, seed: number): PlanLongTail {
  return {
    ratio: numberArg(call, 'ratio')!,
    max: numberArg(call, 'max') ?? null,
    profile: stringArg(call, 'profile') === 'step' ? 'step' : 'exp',
    head: numberArg(call, 'head')!,
    seed: numberArg(call, 'seed') ?? seed,
  };
}

function emitTransform(call: CallValue, channels: number): PlanTransform {
  const n = (name: string): number => numberArg(call, name)!;
  switch (call.name) {
    case 'resize':
      return { kind: 'resize', size: n('size'), square: argOrDefault(call, 'square') === true };
    case 'center_crop':
      return { kind: 'center_crop', size: n('size') };
    case 'random_resized_crop':
      return {
        kind: 'random_resized_crop',
        size: n('size'),
        scale: pair(argOrDefault(call, 'scale')),
        ratio: pair(argOrDefault(call, 'ratio')),
      };
    case 'pad_crop':
      return { kind: 'pad_crop', padding: n('padding') };
    case 'flip':
      return { kind: 'flip', p: n('p') };
    case 'to_rgb':
      return { kind: 'to_rgb' };
    default:
      return {
        kind: 'normalize',
        mean: perChannel(argOrDefault(call, 'mean'), channels),
        std: perChannel(argOrDefault(call, 'std'), channels),
      };
  }
}

function pair(v: Value | undefined): [number, number] {
  const list = Array.isArray(v) ? v : [];
  return [Number(list[0]), Number(list[1])];
}

function perChannel(v: Value | undefined, channels: number): number[] {
  if (Array.isArray(v)) return v.map(Number);
  return Array.from({ length: channels }, () => Number(v));
}
