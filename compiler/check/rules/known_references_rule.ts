/**
 * Known references: every name used as a value (train lists, `on`, expert parts, scorer experts,
 * the pool query, evaluate's model) is declared, and is of the kind that position takes.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { RefKind } from '../../spec/types.ts';
import { didYouMean } from '../../suggest.ts';
import type { Rule } from '../context.ts';
import { implicitExpertName, type NameKind } from '../model_index.ts';
import { refNames } from '../values.ts';

const accepts: Readonly<Record<RefKind, readonly NameKind[]>> = {
  backbone: ['backbone'],
  prompt: ['deep_prompt', 'pool'],
  deep_prompt: ['deep_prompt'],
  adapter: ['adapter'],
  head: ['head'],
  expert: ['expert'],
  module: ['deep_prompt', 'pool', 'adapter'],
  trainable: ['deep_prompt', 'pool', 'adapter', 'head', 'scorer'],
  model: ['expert', 'scorer'],
  phase: [],
  split: [],
};

/** Mismatches reported by a more specific rule instead. */
const reportedElsewhere: Readonly<Partial<Record<RefKind, readonly NameKind[]>>> = {
  trainable: ['backbone'], // TrainsBackboneRule
  deep_prompt: ['pool'], // QueryIsSharedPromptRule
};

export const kindNames: Readonly<Record<NameKind, string>> = {
  backbone: 'backbone',
  deep_prompt: 'deep prompt',
  pool: 'prompt pool',
  adapter: 'adapter',
  head: 'head',
  expert: 'expert',
  scorer: 'scorer',
};

export const KnownReferencesRule: Rule = (ctx) => ({
  Experiment() {
    const noExperts = ctx.index.declsOf('expert').length === 0;
    for (const ref of ctx.typed.coercer.refs) {
      const wanted = accepts[ref.to];
      if (wanted.length === 0) continue;
      const kind = ctx.index.kindOf(ref.name);
      if (kind === undefined) {
        if (ctx.model.partial || (ref.to === 'model' && noExperts && ref.name === implicitExpertName)) continue;
        const candidates = [...ctx.typed.decls.values()]
          .filter((d) => wanted.includes(ctx.index.kindOf(d.name)!))
          .map((d) => d.name);
        ctx.report(Messages.UnknownName, ref.node.span, [
          refNames[ref.to].replace(/^(a|an) /, ''),
          ref.name,
          didYouMean(ref.name, candidates),
        ]);
      } else if (!wanted.includes(kind) && !reportedElsewhere[ref.to]?.includes(kind)) {
        ctx.report(Messages.WrongKindOfName, ref.node.span, [
          ref.name,
          kindNames[kind],
          refNames[ref.to].replace(/^(a|an|the) /, ''),
        ]);
      }
    }
  },
});
