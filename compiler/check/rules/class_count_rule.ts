/** Class count: the number of classes is known, from the train source or `classes N`, and the two agree. */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';
import { pipelineFacts } from '../pipeline.ts';

export const ClassCountRule: Rule = (ctx) => ({
  Experiment() {
    const train = ctx.typed.splits.find((s) => s.name === 'train');
    if (!train || ctx.model.partial) return;
    const facts = pipelineFacts(train);
    const classes = ctx.typed.settings.get('classes');
    if (!facts.source) return;
    if (!classes && facts.classes === null)
      ctx.report(Messages.ClassCountUnknown, facts.source.node.callee.span, [facts.source.name]);
    if (classes && facts.classes !== null && classes.value !== facts.classes) {
      ctx.report(Messages.ClassesMismatch, classes.node.values[0]?.span ?? classes.node.span, [
        String(classes.value),
        'train',
        facts.classes,
      ]);
    }
  },
});
