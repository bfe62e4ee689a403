/**
 * Reads the body of an experiment, preset, ablation or variant into a Layer: its members by kind,
 * plus the drops, overrides and varies that patch a base. Duplicates inside one body are errors
 * (with "first declared here"); across bodies the later one wins (see merge.ts).
 */
import type { Assignment, Block, Declaration, Expression, Identifier, NameRef, Property, Statement } from '../ast.ts';
import type { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import { Messages } from '../../diagnostics/messages.ts';
import type { Context } from '../spec/types.ts';
import type { Span } from '../../diagnostics/span.ts';
import type { DeclEntry, EvaluationEntry, PhaseEntry, SplitEntry } from './model.ts';
import { classify } from './statements.ts';

/** `group.top = 3`, `vary` items, and `one.epochs = 5`: a value for a dotted target. */
export interface Override {
  readonly target: NameRef;
  readonly value: Expression;
  /** Where the new value was written; synthesized arguments and properties get this span. */
  readonly span: Span;
}

export interface Layer {
  readonly settings: Map<string, Property>;
  readonly splits: Map<string, SplitEntry>;
  readonly decls: Map<string, DeclEntry>;
  /** Phases as written in this body; `afterGiven` says whether the block had an `after` link. */
  readonly phases: Map<string, PhaseEntry & { readonly afterGiven: boolean }>;
  readonly evaluations: Map<string, EvaluationEntry>;
  readonly drops: Property[];
  readonly overrides: Override[];
  readonly varies: Declaration[];
  readonly variants: Block[];
}

export function readLayer(body: readonly Statement[], context: Context, bag: DiagnosticBag): Layer {
  const layer: Layer = {
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
  for (const statement of body) {
    if (statement.kind === 'Error') continue;
    if (statement.kind === 'Assignment') {
      layer.overrides.push({ target: statement.target, value: statement.value, span: statement.span });
      continue;
    }
    const spec = classify(statement, context, bag);
    if (!spec) continue;
    if (statement.kind === 'Property') {
      if (spec.name === 'drop') layer.drops.push(statement);
      else addUnique(layer.settings, spec.name, statement, statement.keyword, 'setting', bag);
    } else if (statement.kind === 'Declaration') {
      if (spec.name === 'vary') layer.varies.push(statement);
      else readDeclaration(statement, layer, bag);
    } else if (spec.name === 'data') readData(statement, layer, bag);
    else if (spec.name === 'variant') layer.variants.push(statement);
    else if (spec.name === 'phase' || spec.name === 'evaluate') readNamedBlock(statement, spec.name, layer, bag);
  }
  return layer;
}

function readDeclaration(statement: Declaration, layer: Layer, bag: DiagnosticBag): void {
  const [name, ...rest] = statement.name.parts;
  if (!name) return;
  if (rest.length > 0) {
    bag.report(Messages.ExpectedSimpleName, statement.name.span, [statement.name.parts.map((p) => p.name).join('.')]);
    return;
  }
  const entry: DeclEntry = {
    keyword: statement.keyword,
    name,
    value: statement.value,
    node: statement,
    ...(statement.on ? { on: statement.on } : {}),
  };
  addUnique(layer.decls, name.name, entry, name, 'name', bag, (e) => e.name);
}

function readData(block: Block, layer: Layer, bag: DiagnosticBag): void {
  if (block.name)
    bag.report(Messages.WrongStatementShape, block.name.span, [
      'data',
      'a block without a name',
      'data { train = mnist(split: train) }',
    ]);
  for (const statement of block.body) {
    if (statement.kind === 'Error') continue;
    const target = statement.kind === 'Assignment' ? simpleTarget(statement) : undefined;
    if (statement.kind !== 'Assignment' || !target) {
      const at = statement.kind === 'Assignment' ? statement.target.span : statement.keyword.span;
      bag.report(Messages.WrongStatementShape, at, [
        'a data split',
        'NAME = SOURCE | STEP ...',
        'train = mnist(split: train) | longtail(ratio: 100)',
      ]);
      continue;
    }
    addUnique(
      layer.splits,
      target.name,
      { name: target, value: statement.value, node: statement },
      target,
      'split',
      bag,
      (e) => e.name,
    );
  }
}

function simpleTarget(statement: Assignment): Identifier | undefined {
  return statement.target.parts.length === 1 ? statement.target.parts[0] : undefined;
}

function readNamedBlock(block: Block, keyword: 'phase' | 'evaluate', layer: Layer, bag: DiagnosticBag): void {
  const name = block.name;
  if (!name || name.kind !== 'Identifier') {
    const example =
      keyword === 'phase' ? 'phase one { train shared, cls }' : 'evaluate test { metrics overall, shots }';
    bag.report(Messages.MissingName, name?.span ?? block.keyword.span, [keyword, example]);
    return;
  }
  const after: NameRef[] = [];
  let afterGiven = false;
  for (const link of block.links) {
    if (keyword === 'phase' && link.connector.name === 'after') {
      after.push(...link.targets);
      afterGiven = true;
    } else
      bag.report(Messages.WrongStatementShape, link.connector.span, [
        keyword,
        keyword === 'phase' ? 'phase NAME after PHASE { ... }' : 'evaluate SPLIT { ... }',
        keyword === 'phase' ? 'phase two after one { train group }' : 'evaluate test { }',
      ]);
  }
  const props = new Map<string, Property>();
  for (const statement of block.body) {
    if (statement.kind === 'Error') continue;
    if (statement.kind === 'Assignment') {
      bag.report(Messages.WrongStatementShape, statement.target.span, [
        `a ${keyword} setting`,
        'KEYWORD VALUE',
        keyword === 'phase' ? 'epochs 10' : 'every phase',
      ]);
      continue;
    }
    const spec = classify(statement, keyword, bag);
    if (spec && statement.kind === 'Property')
      addUnique(props, spec.name, statement, statement.keyword, 'setting', bag);
  }
  if (keyword === 'phase')
    addUnique(
      layer.phases,
      name.name,
      { name, after, afterGiven, props, node: block },
      name,
      'phase',
      bag,
      (e) => e.name,
    );
  else
    addUnique(
      layer.evaluations,
      name.name,
      { split: name, props, node: block },
      name,
      'evaluation',
      bag,
      (e) => e.split,
    );
}

function addUnique<T>(
  map: Map<string, T>,
  key: string,
  entry: T,
  at: Identifier,
  what: string,
  bag: DiagnosticBag,
  nameOf: (e: T) => Identifier = (e) => (e as unknown as Property).keyword,
): void {
  const first = map.get(key);
  if (first !== undefined) {
    bag.report(
      Messages.DuplicateName,
      at.span,
      [what, key],
      [{ message: 'first declared here', span: nameOf(first).span }],
    );
    return;
  }
  map.set(key, entry);
}
