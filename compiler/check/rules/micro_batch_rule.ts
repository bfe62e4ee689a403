/** A phase's micro-batch (its own or inherited) is a slice of its batch, so at most the batch. */
import { Messages } from '../../../diagnostics/messages.ts';
import { keywordDefault } from '../../spec/keywords.ts';
import type { Rule } from '../context.ts';

export const MicroBatchRule: Rule = (ctx) => ({
  Phase(phase) {
    const batch = phase.batch ?? Number(keywordDefault('batch'));
    if (phase.microBatch === undefined || phase.microBatch <= batch) return;
    const at = phase.entry.props.get('micro_batch') ?? phase.entry.props.get('batch');
    ctx.report(Messages.MicroBatchExceedsBatch, at?.span ?? phase.entry.name.span, [
      phase.name,
      String(phase.microBatch),
      String(batch),
    ]);
  },
});
