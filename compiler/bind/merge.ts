/**
 * Merging a Layer onto a model draft, the one rule behind `extends`, ablation-wide statements and
 * variants: members replace members of the same name (phase and evaluate blocks merge property by
 * property, so `phase one { loss ce }` changes only the loss), then `drop` removes names, then
 * overrides change single values.
 */
import type { Property } from '../ast.ts';
import type { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import { Messages } from '../../diagnostics/messages.ts';
import { didYouMean } from '../suggest.ts';
import type { Layer, Override } from './layer.ts';
import type { ModelDraft } from './model.ts';
import { applyOverride } from './override.ts';

export function applyLayer(
  draft: ModelDraft,
  layer: Layer,
  bag: DiagnosticBag,
  extra: readonly Override[] = [],
): ModelDraft {
  for (const [k, v] of layer.settings) draft.settings.set(k, v);
  for (const [k, v] of layer.splits) draft.splits.set(k, v);
  for (const [k, v] of layer.decls) draft.decls.set(k, v);
  for (const [k, { afterGiven, ...phase }] of layer.phases) {
    const base = draft.phases.get(k);
    if (!base) draft.phases.set(k, phase);
    else
      draft.phases.set(k, {
        ...phase,
        props: new Map([...base.props, ...phase.props]),
        after: afterGiven ? phase.after : base.after,
      });
  }
  for (const [k, evaluation] of layer.evaluations) {
    const base = draft.evaluations.get(k);
    draft.evaluations.set(
      k,
      base ? { ...evaluation, props: new Map([...base.props, ...evaluation.props]) } : evaluation,
    );
  }
  for (const drop of layer.drops) applyDrop(draft, drop, bag);
  for (const override of [...layer.overrides, ...extra]) applyOverride(draft, override, bag);
  return draft;
}

function applyDrop(draft: ModelDraft, drop: Property, bag: DiagnosticBag): void {
  for (const value of drop.values) {
    const name = value.kind === 'NameRef' && value.parts.length === 1 ? value.parts[0]!.name : undefined;
    if (name === undefined) {
      bag.report(Messages.WrongStatementShape, value.span, ['drop', 'drop NAME, ...', 'drop two']);
      continue;
    }
    const maps = [draft.phases, draft.decls, draft.splits, draft.evaluations] as const;
    const owner = maps.find((m) => m.has(name));
    if (!owner) {
      const all = maps.flatMap((m) => [...m.keys()]);
      bag.report(Messages.DropUnknown, value.span, [name, didYouMean(name, all)]);
      continue;
    }
    owner.delete(name);
    draft.dropped.set(name, drop);
  }
}
