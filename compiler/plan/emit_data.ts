/** Lowering data splits: source files, the long-tail step with its defaults, and transforms. */
import { pipelineFacts } from '../check/pipeline.ts';
import type { TypedSplit } from '../check/typed.ts';
import type { CallIn } from '../check/typed_call.ts';
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
    return h === undefined ? [] : [{ name: s.name, call: h, perClass: h.settings.per_class }];
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
          seed: heldOut.settings.seed ?? seed,
          ...(skip > 0 ? { skip } : {}),
        }
      : null,
  };
}

function emitLongTail({ settings }: CallIn<'subsample'>, seed: number): PlanLongTail {
  return {
    ratio: settings.ratio,
    max: settings.max ?? null,
    profile: settings.profile,
    head: settings.head,
    seed: settings.seed ?? seed,
  };
}

function emitTransform(call: CallIn<'transform'>, channels: number): PlanTransform {
  switch (call.name) {
    case 'resize':
      return { kind: 'resize', size: call.settings.size, square: call.settings.square };
    case 'center_crop':
      return { kind: 'center_crop', size: call.settings.size };
    case 'random_resized_crop': {
      const { size, scale, ratio } = call.settings;
      return { kind: 'random_resized_crop', size, scale: pair(scale), ratio: pair(ratio) };
    }
    case 'pad_crop':
      return { kind: 'pad_crop', padding: call.settings.padding };
    case 'flip':
      return { kind: 'flip', p: call.settings.p };
    case 'to_rgb':
      return { kind: 'to_rgb' };
    case 'normalize':
      return {
        kind: 'normalize',
        mean: perChannel(call.settings.mean, channels),
        std: perChannel(call.settings.std, channels),
      };
  }
}

/** A list checked to hold two items (the spec's minItems and maxItems). */
function pair(list: readonly number[]): [number, number] {
  return [list[0]!, list[1]!];
}

function perChannel(v: number | readonly number[], channels: number): number[] {
  return typeof v === 'number' ? Array.from({ length: channels }, () => v) : [...v];
}
