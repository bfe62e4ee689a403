/**
 * Evaluations: evaluate names a data split; shot bounds do not overlap; with several experts and
 * no scorer the model to evaluate is named.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import { didYouMean } from '../../suggest.ts';
import type { Rule } from '../context.ts';

export const EvaluationRule: Rule = (ctx) => ({
  Evaluation(evaluation) {
    const split = evaluation.split.name;
    if (!ctx.model.splits.has(split) && !ctx.model.partial) {
      ctx.report(Messages.UnknownName, evaluation.split.span, [
        'data split',
        split,
        didYouMean(split, ctx.model.splits.keys()),
      ]);
    }
    const { many, few } = evaluation.shots?.settings ?? {};
    const manyFrom = many ? (many.op === '>' ? Math.floor(many.value) + 1 : Math.ceil(many.value)) : 101;
    const fewTo = few ? (few.op === '<' ? Math.ceil(few.value) - 1 : Math.floor(few.value)) : 20;
    if ((many || few) && manyFrom <= fewTo) {
      ctx.report(Messages.ShotBoundsOverlap, (few ?? many)!.node.span, [
        few ? `${few.op}${few.value}` : '<=20',
        many ? `${many.op}${many.value}` : '>100',
      ]);
    }
    if (!evaluation.model && !ctx.model.partial && !ctx.index.scorer() && ctx.index.experts().length > 1) {
      ctx.report(Messages.ModelUndetermined, evaluation.split.span, [
        'Several experts and no scorer: say which to evaluate with `model NAME`.',
      ]);
    }
  },
});
