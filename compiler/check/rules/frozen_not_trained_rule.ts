/**
 * Frozen modules are not trained: a module in the phase's `freeze` list, or a text head with
 * `tune: false` (unless its projection trains: `projection: tune` or `random`), is not in `train`.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export const FrozenNotTrainedRule: Rule = (ctx) => ({
  Phase(phase) {
    for (const ref of phase.train) {
      const frozen = phase.freeze.find((f) => f.name === ref.name);
      if (frozen) {
        ctx.report(
          Messages.TrainsFrozenModule,
          ref.node.span,
          [ref.name, `freeze ${ref.name}`],
          [{ message: 'frozen here', span: frozen.node.span }],
        );
        continue;
      }
      const call = ctx.index.decl(ref.name)?.call;
      const tune = call?.name === 'text' ? call.args.get('tune') : undefined;
      const projection = call?.args.get('projection')?.value;
      if (tune?.value === false && projection !== 'tune' && projection !== 'random')
        ctx.report(
          Messages.TrainsFrozenModule,
          ref.node.span,
          [ref.name, 'tune: false'],
          [{ message: 'frozen here', span: tune.node.span }],
        );
    }
  },
});
