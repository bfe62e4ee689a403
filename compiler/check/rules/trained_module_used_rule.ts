/** Trained modules are used: a trained prompt, adapter or head belongs to some expert (else training it changes nothing). */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const TrainedModuleUsedRule: Rule = (ctx) => ({
  Phase(phase) {
    // Without declared experts every module is in the implicit expert; head trouble is ModelStructureRule's.
    if (ctx.model.partial || ctx.index.declsOf('expert').length === 0) return;
    const experts = ctx.index.experts();
    const used = new Set(experts.flatMap((e) => [...e.modules.map((m) => m.name), ...(e.head ? [e.head] : [])]));
    for (const ref of phase.train) {
      const kind = ctx.index.kindOf(ref.name);
      if (kind === 'deep_prompt' || kind === 'pool' || kind === 'adapter' || kind === 'head') {
        if (!used.has(ref.name)) ctx.report(Messages.ModuleNotInModel, ref.node.span, [ref.name, phase.name]);
      }
    }
  },
});
