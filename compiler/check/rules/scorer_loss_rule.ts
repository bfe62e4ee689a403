/**
 * Scorer losses: a phase that trains the MoE scorer computes its loss on the mixture's
 * log-probabilities, not on an expert's cosine logits, and runs no prompt pool of its own. (A-)GCL
 * clouds cosine logits (its noise and margin are sized for values in [-1, 1] before the scale),
 * and matching reads the similarity of a selected pool key, so neither fits there.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

const why: Readonly<Record<string, string>> = {
  gcl: 'it clouds cosine logits, and the scorer gives the log-probabilities of the mixture',
  agcl: 'it clouds cosine logits, and the scorer gives the log-probabilities of the mixture',
  matching: 'it reads the similarity of a selected pool key, and the scorer selects none',
};

export const ScorerLossRule: Rule = (ctx) => ({
  Phase(phase) {
    const scorer = ctx.index.scorer();
    if (!scorer || !phase.train.some((r) => r.name === scorer.name)) return;
    for (const term of phase.loss?.terms ?? []) {
      const reason = why[term.call.name];
      if (reason) ctx.report(Messages.ScorerLoss, term.call.node.span, [term.call.name, phase.name, reason]);
    }
  },
});
