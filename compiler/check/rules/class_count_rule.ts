/**
 * Class count: the number of classes is known, from the train source, `classes N`, or the files
 * of an image folder or split list when they are there; and these agree (a split list may have
 * fewer labels in use than `classes N`, not more).
 */
import { Messages } from '../../../diagnostics/messages.ts';
import { classCountFromFiles } from '../class_count_from_files.ts';
import type { Rule } from '../context.ts';
import { pipelineFacts } from '../pipeline.ts';

export const ClassCountRule: Rule = (ctx) => ({
  Experiment() {
    const train = ctx.typed.splits.find((s) => s.name === 'train');
    if (!train || ctx.model.partial) return;
    const facts = pipelineFacts(train);
    if (!facts.source) return;
    const classes = ctx.typed.settings.get('classes');
    const known = facts.classes ?? classCountFromFiles(facts.source, ctx.host);
    if (!classes && known === null)
      ctx.report(Messages.ClassCountUnknown, facts.source.node.callee.span, [facts.source.name]);
    const contradicts =
      facts.source.name === 'split_list' ? known !== null && known > Number(classes?.value) : known !== classes?.value;
    if (classes && known !== null && contradicts) {
      ctx.report(Messages.ClassesMismatch, classes.node.values[0]?.span ?? classes.node.span, [
        String(classes.value),
        'train',
        known,
      ]);
    }
  },
});
