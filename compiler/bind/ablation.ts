/**
 * Expands `ablation NAME of EXPERIMENT { ... }` into one model per run. Statements outside
 * variants patch every run; each `variant "X" { ... }` patches the base once more; the `vary`
 * statements of one block are crossed and give one run per combination (top-level varies give runs
 * of their own, beside the explicit variants). `vary seed = [...]` is not crossed here: the run
 * keeps its seeds, and compiler/compile.ts makes one plan per seed whose rows reports average (sweep.ts).
 */
import type { Block, Declaration, Identifier, SourceFile, StringLiteral } from '../ast.ts';
import type { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import { Messages } from '../../diagnostics/messages.ts';
import type { Span } from '../../diagnostics/span.ts';
import { readLayer, type Layer, type Override } from './layer.ts';
import { isSeedTarget } from './command_line.ts';
import { applyLayer } from './merge.ts';
import { copyDraft, type ExperimentModel, type ModelDraft, type SeedValue } from './model.ts';

interface Run {
  readonly name: string;
  readonly nameNode: Identifier | StringLiteral;
  readonly node: Block;
  readonly draft: ModelDraft;
  readonly seeds: readonly SeedValue[] | undefined;
}

export function expandAblation(
  base: ExperimentModel,
  ablation: string,
  block: Block,
  files: ReadonlyMap<string, SourceFile>,
  bag: DiagnosticBag,
): ExperimentModel[] {
  const textOf = (span: Span): string => files.get(span.file)?.text.slice(span.start, span.end) ?? '?';
  const layer = readLayer(block.body, 'ablation', bag);
  const common = applyLayer(copyDraft(base), { ...layer, varies: [], variants: [] }, bag);
  const runs: Run[] = [];

  for (const variant of layer.variants) {
    if (!variant.name) {
      bag.report(Messages.MissingName, variant.keyword.span, ['variant', 'variant "VPT" { drop two }']);
      continue;
    }
    const variantName = variant.name.kind === 'String' ? variant.name.value : variant.name.name;
    const own = readLayer(variant.body, 'variant', bag);
    const patched = applyLayer(copyDraft(common), { ...own, varies: [] }, bag);
    const { varies, seeds } = splitSeeds(own.varies, textOf, bag);
    for (const combo of combinations(varies, textOf, bag)) {
      const name = combo.label ? `${variantName}, ${combo.label}` : variantName;
      runs.push({
        name,
        nameNode: variant.name,
        node: variant,
        draft: applyLayer(copyDraft(patched), emptyLayer(), bag, combo.overrides),
        seeds,
      });
    }
  }
  if (layer.varies.length > 0) {
    const { varies, seeds } = splitSeeds(layer.varies, textOf, bag);
    for (const combo of combinations(varies, textOf, bag)) {
      const first = layer.varies[0]!;
      runs.push({
        name: combo.label,
        nameNode: first.keyword,
        node: block,
        draft: applyLayer(copyDraft(common), emptyLayer(), bag, combo.overrides),
        seeds,
      });
    }
  }
  if (runs.length === 0) bag.report(Messages.EmptyAblation, block.name?.span ?? block.keyword.span, [ablation]);

  const seen = new Map<string, Run>();
  const models: ExperimentModel[] = [];
  for (const run of runs) {
    const first = seen.get(run.name);
    if (first) {
      bag.report(
        Messages.DuplicateVariant,
        run.nameNode.span,
        [run.name, ablation],
        [{ message: 'first declared here', span: first.nameNode.span }],
      );
      continue;
    }
    seen.set(run.name, run);
    models.push({
      ...base,
      ...run.draft,
      variant: { ablation, name: run.name, node: run.node, nameNode: run.nameNode },
      ...(run.seeds ? { seeds: run.seeds } : {}),
    });
  }
  return models;
}

/** The `vary seed = [...]` of one block (the last one when repeated) apart from the other varies. */
function splitSeeds(
  all: readonly Declaration[],
  textOf: (span: Span) => string,
  bag: DiagnosticBag,
): { varies: Declaration[]; seeds: SeedValue[] | undefined } {
  const isSeed = (v: Declaration) => isSeedTarget(v.name);
  let seeds: SeedValue[] | undefined;
  for (const vary of all.filter(isSeed)) {
    if (vary.value.kind !== 'List' || vary.value.items.length === 0)
      bag.report(Messages.VaryNeedsList, vary.value.span);
    else seeds = vary.value.items.map((value) => ({ value, label: `seed=${textOf(value.span)}` }));
  }
  return { varies: all.filter((v) => !isSeed(v)), seeds };
}

interface Combination {
  readonly label: string;
  readonly overrides: readonly Override[];
}

/** The cross product of the varies' value lists; one empty combination when there are none. */
function combinations(
  varies: readonly Declaration[],
  textOf: (span: Span) => string,
  bag: DiagnosticBag,
): Combination[] {
  let result: Combination[] = [{ label: '', overrides: [] }];
  for (const vary of varies) {
    if (vary.value.kind !== 'List' || vary.value.items.length === 0) {
      bag.report(Messages.VaryNeedsList, vary.value.span);
      continue;
    }
    const target = textOf(vary.name.span);
    const next: Combination[] = [];
    for (const combo of result) {
      for (const item of vary.value.items) {
        const label = `${target}=${textOf(item.span)}`;
        next.push({
          label: combo.label ? `${combo.label}, ${label}` : label,
          overrides: [...combo.overrides, { target: vary.name, value: item, span: item.span }],
        });
      }
    }
    result = next;
  }
  return result;
}

function emptyLayer(): Layer {
  return {
    settings: new Map(),
    splits: new Map(),
    decls: new Map(),
    phases: new Map(),
    evaluations: new Map(),
    drops: [],
    overrides: [],
    varies: [],
    variants: [],
  };
}
