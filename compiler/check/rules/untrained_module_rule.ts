/**
 * Untrained modules (warning): a prompt, pool or adapter an expert uses, or a head other than a
 * frozen text head, that no phase trains stays at its random initialisation, which is rarely
 * meant (e.g. a "phase 1 only" variant that forgot to drop the pool). An experiment without any
 * phase says so on purpose: it evaluates the model as initialised (a zero-shot row).
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const UntrainedModuleRule: Rule = (ctx) => ({
  Experiment() {
    if (ctx.model.partial || ctx.typed.phases.length === 0) return;
    const trained = new Set(ctx.typed.phases.flatMap((p) => p.train.map((r) => r.name)));
    for (const expert of ctx.index.experts()) {
      const parts = [...expert.modules.map((m) => m.name), ...(expert.head ? [expert.head] : [])];
      for (const name of parts) {
        const decl = ctx.index.decl(name);
        if (!decl || trained.has(name) || decl.call?.name === 'text') continue;
        ctx.report(Messages.UntrainedModule, decl.entry.name.span, [name, expert.name]);
      }
    }
  },
});
