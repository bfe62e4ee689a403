/**
 * Binding: from the parsed files of a program to semantic models. Collects the top-level
 * experiments, presets and ablations of every file (one namespace), resolves `extends` chains
 * (members merge in order, the extending body last), and expands the root file's ablations into
 * one model per variant.
 */
import type { Block, Identifier, SourceFile } from '../ast.ts';
import type { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import { Messages } from '../../diagnostics/messages.ts';
import type { Span } from '../../diagnostics/span.ts';
import { didYouMean } from '../suggest.ts';
import { expandAblation } from './ablation.ts';
import { readLayer } from './layer.ts';
import { applyLayer } from './merge.ts';
import { copyDraft, emptyDraft, type ExperimentModel, type ModelDraft } from './model.ts';
import { classify } from './statements.ts';

interface TopLevel {
  readonly kind: 'experiment' | 'preset';
  readonly name: Identifier;
  readonly block: Block;
}

export interface BoundProgram {
  /** The root file's experiments (complete) and presets (partial), in source order. */
  readonly experiments: readonly ExperimentModel[];
  /** Experiments of other files that root ablations vary: checked first (so their own problems carry no variant note), never emitted. */
  readonly ablationBases: readonly ExperimentModel[];
  /** One model per variant of each ablation in the root file. */
  readonly variants: readonly ExperimentModel[];
}

export function bind(files: ReadonlyMap<string, SourceFile>, root: string, bag: DiagnosticBag): BoundProgram {
  const bases = new Map<string, TopLevel>();
  const ablations = new Map<string, Block>();
  const rootItems: (TopLevel | Block)[] = [];

  for (const [path, file] of files) {
    for (const statement of file.statements) {
      if (statement.kind === 'Error') continue;
      if (statement.kind === 'Property' && statement.keyword.name === 'import') continue;
      if (statement.kind === 'Assignment') {
        bag.report(Messages.MisplacedStatement, statement.target.span, [
          statement.target.parts.map((p) => p.name).join('.'),
          'a file',
          'an experiment',
        ]);
        continue;
      }
      const spec = classify(statement, 'file', bag);
      if (!spec || statement.kind !== 'Block') continue;
      const name = blockName(statement, bag);
      if (!name) continue;
      if (spec.name === 'ablation') {
        if (addUnique(ablations, name, statement, (b) => b.name, bag) && path === root) rootItems.push(statement);
      } else {
        const item: TopLevel = { kind: spec.name === 'preset' ? 'preset' : 'experiment', name, block: statement };
        if (addUnique(bases, name, item, (b) => b.name, bag) && path === root) rootItems.push(item);
      }
    }
  }

  const drafts = new Map<string, ModelDraft | null>();
  /** Models whose extends chain is broken (unknown base, cycle): checked as partial to avoid cascades. */
  const broken = new Set<string>();
  const draftOf = (name: string): ModelDraft | undefined => {
    const cached = drafts.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const item = bases.get(name);
    if (!item) return undefined;
    drafts.set(name, null); // visiting: a lookup now means a cycle
    const draft = emptyDraft();
    for (const link of item.block.links) {
      if (link.connector.name !== 'extends') {
        bag.report(Messages.WrongStatementShape, link.connector.span, [
          item.kind,
          `${item.kind} NAME extends BASE { ... }`,
          'experiment quickstart extends tiny_vit { ... }',
        ]);
        continue;
      }
      for (const target of link.targets) {
        const targetName = target.parts.map((p) => p.name).join('.');
        if (!bases.has(targetName)) {
          bag.report(Messages.UnknownName, target.span, [
            'experiment or preset',
            targetName,
            didYouMean(targetName, bases.keys()),
          ]);
          broken.add(name);
          continue;
        }
        const base = draftOf(targetName);
        if (!base) {
          bag.report(Messages.ExtendsCycle, target.span, [name, targetName]);
          broken.add(name);
          continue;
        }
        if (broken.has(targetName)) broken.add(name);
        mergeDraft(draft, base);
      }
    }
    applyLayer(draft, readLayer(item.block.body, 'experiment', bag), bag);
    drafts.set(name, draft);
    return draft;
  };

  const modelOf = (item: TopLevel, partial: boolean): ExperimentModel => {
    const draft = draftOf(item.name.name) ?? emptyDraft();
    const isPartial = partial || broken.has(item.name.name);
    return {
      name: item.name.name,
      kind: item.kind,
      node: item.block,
      nameNode: item.name,
      file: item.block.span.file,
      partial: isPartial,
      ...copyDraft(draft),
    };
  };

  const experiments: ExperimentModel[] = [];
  const variants: ExperimentModel[] = [];
  const ablationBases: ExperimentModel[] = [];
  for (const item of rootItems) {
    if ('kind' in item && item.kind !== 'Block') {
      experiments.push(modelOf(item, item.kind === 'preset'));
      continue;
    }
    const block = item as Block;
    const ablationName = (block.name as Identifier).name;
    const ofLinks = block.links.filter((l) => l.connector.name === 'of');
    const target = ofLinks[0]?.targets[0];
    if (ofLinks.length !== 1 || ofLinks[0]!.targets.length !== 1 || block.links.length !== 1 || !target) {
      bag.report(Messages.WrongStatementShape, block.keyword.span, [
        'ablation',
        'ablation NAME of EXPERIMENT { ... }',
        'ablation phases of quickstart { variant "VPT" { drop two } }',
      ]);
      continue;
    }
    const targetName = target.parts.map((p) => p.name).join('.');
    const base = bases.get(targetName);
    if (!base || base.kind !== 'experiment') {
      const experimentNames = [...bases.values()].filter((b) => b.kind === 'experiment').map((b) => b.name.name);
      bag.report(Messages.UnknownName, target.span, [
        'experiment',
        targetName,
        didYouMean(targetName, experimentNames),
      ]);
      continue;
    }
    const baseModel = modelOf(base, false);
    if (baseModel.file !== root && !ablationBases.some((m) => m.name === baseModel.name)) ablationBases.push(baseModel);
    variants.push(...expandAblation(baseModel, ablationName, block, files, bag));
  }
  return { experiments, ablationBases, variants };
}

/** Merge a finished base draft under the current one (extends: the base's members come first). */
function mergeDraft(into: ModelDraft, base: ModelDraft): void {
  const copy = copyDraft(base);
  for (const key of ['settings', 'splits', 'decls', 'evaluations', 'dropped'] as const) {
    for (const [k, v] of copy[key] as Map<string, unknown>) (into[key] as Map<string, unknown>).set(k, v);
  }
  for (const [k, v] of copy.phases) {
    const existing = into.phases.get(k);
    into.phases.set(
      k,
      existing
        ? {
            ...v,
            props: new Map([...existing.props, ...v.props]),
            after: v.after.length > 0 ? v.after : existing.after,
          }
        : v,
    );
  }
}

function blockName(block: Block, bag: DiagnosticBag): Identifier | undefined {
  const example = `${block.keyword.name} NAME { ... }`;
  if (!block.name) bag.report(Messages.MissingName, block.keyword.span, [block.keyword.name, example]);
  else if (block.name.kind !== 'Identifier')
    bag.report(Messages.WrongStatementShape, block.name.span, [
      block.keyword.name,
      `${block.keyword.name} NAME (a plain name, not a string)`,
      example,
    ]);
  else return block.name;
  return undefined;
}

function addUnique<T>(
  map: Map<string, T>,
  name: Identifier,
  item: T,
  nameOf: (t: T) => { readonly span: Span } | undefined,
  bag: DiagnosticBag,
): boolean {
  const first = map.get(name.name);
  if (first !== undefined) {
    const firstName = nameOf(first);
    bag.report(
      Messages.DuplicateName,
      name.span,
      ['top-level name', name.name],
      firstName ? [{ message: 'first declared here', span: firstName.span }] : undefined,
    );
    return false;
  }
  map.set(name.name, item);
  return true;
}
