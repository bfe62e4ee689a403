/**
 * The language spec in one place: every call by family and name. See types.ts for its shape.
 */
import { sourceSpecs, subsampleSpecs, transformSpecs } from './data.ts';
import { budgetSpecs, shotsSpecs } from './evaluation.ts';
import { slurmSpecs } from './launcher.ts';
import { adapterSpecs, backboneSpecs, expertSpecs, headSpecs, promptSpecs, scorerSpecs } from './model.ts';
import { lossSpecs, optimizerSpecs, samplerSpecs, scheduleSpecs, weightSpecs } from './training.ts';
import type { ArgSpec, CallSpec, Family } from './types.ts';

/** The calls of each family, with their literal types (what typed settings are derived from). */
export const familySpecs = {
  source: sourceSpecs,
  subsample: subsampleSpecs,
  transform: transformSpecs,
  backbone: backboneSpecs,
  prompt: promptSpecs,
  adapter: adapterSpecs,
  head: headSpecs,
  expert: expertSpecs,
  scorer: scorerSpecs,
  loss: lossSpecs,
  weight: weightSpecs,
  sampler: samplerSpecs,
  optimizer: optimizerSpecs,
  schedule: scheduleSpecs,
  shots: shotsSpecs,
  budget: budgetSpecs,
  slurm: slurmSpecs,
} as const satisfies Readonly<Record<Family, readonly CallSpec[]>>;

/** The spec of one call of family F, as its literal type. */
export type SpecIn<F extends Family> = (typeof familySpecs)[F][number];

export const callSpecs: readonly CallSpec[] = Object.values(familySpecs).flat();

const byFamily = new Map<Family, Map<string, CallSpec>>();
for (const spec of callSpecs) {
  let map = byFamily.get(spec.family);
  if (!map) byFamily.set(spec.family, (map = new Map()));
  map.set(spec.name, spec);
}

export function familyList(family: Family | readonly Family[]): readonly Family[] {
  return typeof family === 'string' ? [family] : family;
}

export function callSpec(family: Family | readonly Family[], name: string): CallSpec | undefined {
  for (const f of familyList(family)) {
    const spec = byFamily.get(f)?.get(name);
    if (spec) return spec;
  }
  return undefined;
}

export function callNames(family: Family | readonly Family[]): readonly string[] {
  return familyList(family).flatMap((f) => [...(byFamily.get(f)?.keys() ?? [])]);
}

export function argSpec(spec: CallSpec, name: string): ArgSpec | undefined {
  return spec.args.find((a) => a.name === name);
}

/** How a family is named in messages ("Unknown loss 'agc'"). */
export const familyNames: Readonly<Record<Family, string>> = {
  source: 'data source',
  subsample: 'subsampling step',
  transform: 'transform',
  backbone: 'backbone architecture',
  prompt: 'prompt kind',
  adapter: 'adapter kind',
  head: 'head kind',
  expert: 'expert constructor',
  scorer: 'scorer kind',
  loss: 'loss',
  weight: 'weight schedule',
  sampler: 'sampler',
  optimizer: 'optimiser',
  schedule: 'learning-rate schedule',
  shots: 'shots call',
  budget: 'budget call',
  slurm: 'launcher call',
};

export function familyName(family: Family | readonly Family[]): string {
  return familyList(family)
    .map((f) => familyNames[f])
    .join(' or ');
}
