/**
 * Phase order: `after` names an existing phase (a dropped one is reported at the drop), and the
 * `after` links form no cycle.
 */
import { Messages } from '../../../diagnostics/messages.ts';
import { didYouMean } from '../../suggest.ts';
import { simpleName } from '../coerce.ts';
import type { Rule } from '../context.ts';

export const PhaseOrderRule: Rule = (ctx) => ({
  Experiment() {
    const phases = new Map(ctx.typed.phases.map((p) => [p.name, p]));
    const edges = new Map<string, string[]>();
    for (const phase of ctx.typed.phases) {
      const targets: string[] = [];
      for (const ref of phase.after) {
        const name = simpleName(ref) ?? ref.parts.map((p) => p.name).join('.');
        if (phases.has(name)) {
          targets.push(name);
          continue;
        }
        if (ctx.model.partial) continue; // the phase may come from the experiment that extends the preset
        const drop = ctx.model.dropped.get(name);
        const dropValue = drop?.values.find((v) => simpleName(v) === name);
        if (drop)
          ctx.report(
            Messages.DropLeavesDependent,
            (dropValue ?? drop).span,
            [name, phase.name],
            [{ message: `'${phase.name}' runs after it here`, span: ref.span }],
          );
        else ctx.report(Messages.PhaseAfterMissing, ref.span, [phase.name, name, didYouMean(name, phases.keys())]);
      }
      edges.set(phase.name, targets);
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, path: string[]): void => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') {
        const cycle = [...path.slice(path.indexOf(name)), name];
        ctx.report(Messages.PhaseCycle, phases.get(name)!.entry.name.span, [cycle.join(' after ')]);
        return;
      }
      state.set(name, 'visiting');
      for (const next of edges.get(name) ?? []) visit(next, [...path, name]);
      state.set(name, 'done');
    };
    for (const name of phases.keys()) visit(name, []);
  },
});
