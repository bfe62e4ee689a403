/**
 * The scorer's calibration split (`calibrate_on:`): a declared data split that the experiment does
 * not evaluate (temperatures fitted on the evaluated images would leak them into the result), and
 * only with `calibrate: temperature`, where it has an effect.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import { didYouMean } from '../../suggest.ts';
import type { Rule } from '../context.ts';
import { argOrDefault } from '../model_index.ts';
import { isRef } from '../values.ts';

export const ScorerCalibrationRule: Rule = (ctx) => ({
  Declaration(decl) {
    if (decl.keyword !== 'scorer' || !decl.call || ctx.model.partial) return;
    const arg = decl.call.args.get('calibrate_on');
    if (arg === undefined || !isRef(arg.value)) return;
    const name = arg.value.name;
    const span = arg.node.value.span;
    if (argOrDefault(decl.call, 'calibrate') !== 'temperature') {
      ctx.report(Messages.ScorerCalibration, span, [
        `\`calibrate_on: ${name}\` has no effect without \`calibrate: temperature\` on scorer '${decl.name}'.`,
      ]);
    } else if (!ctx.model.splits.has(name)) {
      ctx.report(Messages.UnknownName, span, ['data split', name, didYouMean(name, ctx.model.splits.keys())]);
    } else if (ctx.typed.evaluations.some((e) => e.split.name === name)) {
      ctx.report(Messages.ScorerCalibration, span, [
        `Scorer '${decl.name}' fits its temperatures on the split '${name}', which the experiment also evaluates: fit them on a split held out for it (\`holdout(...)\`) or on the train split.`,
      ]);
    }
  },
});
