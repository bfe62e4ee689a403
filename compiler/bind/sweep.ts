/**
 * The command line applied to bound models (compiler/compile.ts): every `--set` override on top of each
 * experiment and ablation variant, last, so the command line has the last word (also over a
 * variant's own `vary` of the same key), then one model per seed when the command line
 * (`--seeds`, which wins), the run (`vary seed = [...]` in an ablation) or the experiment
 * (`seeds 0, 1, 2`, inherited by its variants) names seeds.
 * An override of a name the variant dropped (`--set two.epochs=8` and a variant without phase
 * two) skips that variant; anywhere else a bad override is an error at the argument.
 */
import type { NameRef } from '../ast.ts';
import type { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import type { Span } from '../../diagnostics/span.ts';
import { Messages } from '../../diagnostics/messages.ts';
import { isSeedTarget, type ParsedCommandLine } from './command_line.ts';
import { copyDraft, type ExperimentModel, type SeedValue } from './model.ts';
import { applyOverride } from './override.ts';

export function sweepModel(
  model: ExperimentModel,
  commandLine: ParsedCommandLine,
  bag: Pick<DiagnosticBag, 'report'>,
): ExperimentModel[] {
  if (model.partial) return [model];
  const draft = copyDraft(model);
  const applied: string[] = [];
  let setsSeed = false;
  for (const { text, override } of commandLine.overrides) {
    const head = override.target.parts[0]?.name;
    if (head !== undefined && model.dropped.has(head)) continue;
    applyOverride(draft, override, bag);
    applied.push(text);
    setsSeed ||= isSeedTarget(override.target);
  }
  const base: ExperimentModel = { ...model, ...draft, ...(applied.length > 0 ? { overrides: applied } : {}) };
  // `--set seed=N` wins over the file's seeds too: one run with that seed.
  const seeds = commandLine.seeds ?? (setsSeed ? undefined : (model.seeds ?? seedsSetting(model, bag)));
  if (!seeds) return [base];
  const row = model.variant ? model.variant.name || model.variant.ablation : undefined;
  return seeds.map((seed) => {
    const seeded = copyDraft(base);
    applyOverride(seeded, { target: seedName(seed.value.span), value: seed.value, span: seed.value.span }, bag);
    const variant = model.variant && {
      ...model.variant,
      name: model.variant.name ? `${model.variant.name}, ${seed.label}` : seed.label,
    };
    return { ...base, ...seeded, ...(variant ? { variant } : {}), replicate: { row, seedLabel: seed.label } };
  });
}

/** `seeds 0, 1, 2` in the experiment (or inherited by a variant); a repeated seed is an error. */
function seedsSetting(model: ExperimentModel, bag: Pick<DiagnosticBag, 'report'>): SeedValue[] | undefined {
  const property = model.settings.get('seeds');
  if (!property) return undefined;
  const seeds: SeedValue[] = [];
  for (const value of property.values) {
    const raw = value.kind === 'Number' ? value.raw : '?';
    const first = seeds.find(
      (s) => s.value.kind === 'Number' && value.kind === 'Number' && s.value.value === value.value,
    );
    if (first)
      bag.report(
        Messages.DuplicateName,
        value.span,
        ['seed', raw],
        [{ message: 'first given here', span: first.value.span }],
      );
    else seeds.push({ value, label: `seed=${raw}` });
  }
  return seeds;
}

function seedName(span: Span): NameRef {
  return { kind: 'NameRef', parts: [{ kind: 'Identifier', name: 'seed', span }], span };
}
