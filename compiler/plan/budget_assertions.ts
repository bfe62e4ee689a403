/**
 * Budget assertions: `budget(trainable: <=1.1M, share: <=1.5%)` is checked against the emitted
 * plan's budget (the numbers only exist once the model is lowered); a broken one is an error at
 * the limit that failed.
 */
import type { TypedModel } from '../check/typed.ts';
import { diagnostic } from '../../diagnostics/diagnose.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { Messages } from '../../diagnostics/messages.ts';
import type { BudgetMetric } from '../../plan/enums.ts';
import type { Plan } from '../../plan/plan.ts';

const labels: Readonly<Record<BudgetMetric, string>> = {
  trainable: 'trainable parameters',
  share: 'trainable share of the backbone',
  prompts: 'prompt parameters',
  flops: 'inference FLOPs per image',
};

export function budgetDiagnostics(typed: TypedModel, plan: Plan): Diagnostic[] {
  const call = typed.experiment.budget;
  if (!call) return [];
  return plan.budget.assertions
    .filter((a) => !a.ok)
    .map((a) => {
      const node = call.settings[a.metric]?.node;
      if (!node) throw new Error(`the budget assertion on '${a.metric}' has no limit in the budget call`);
      const actual = a.metric === 'share' ? `${a.actual.toFixed(2)}%` : formatCount(a.actual);
      const limit = `${a.op}${a.metric === 'share' ? `${a.limit}%` : formatCount(a.limit)}`;
      return diagnostic(Messages.BudgetExceeded, node.span, [labels[a.metric], actual, limit]);
    });
}

/** 1030080 -> "1.03M", 44800 -> "44.8k". */
export function formatCount(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) if (Math.abs(n) >= size) return `${Number((n / size).toPrecision(3))}${unit}`;
  return String(Number(n.toPrecision(3)));
}
