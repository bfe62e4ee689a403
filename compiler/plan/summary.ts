/**
 * The budget of a plan as a plain-text table (`lpt compile --summary`): backbones, each module's
 * parameters and whether it trains, the share of the backbone, FLOPs and activation memory.
 */
import { formatCount } from './budget_assertions.ts';
import type { Plan } from '../../plan/plan.ts';

export function formatBudgetSummary(plan: Plan): string {
  const b = plan.budget;
  const lines: string[] = [`${plan.name}  (${plan.source}, plan ${plan.hash.slice(0, 12)})`];
  if (plan.overrides) lines.push(`  overrides (--set): ${plan.overrides.join(', ')}`);
  for (const bb of plan.backbones) {
    const weights = bb.weights ? `${bb.weights.path} (${bb.weights.format}, ${bb.weights.naming})` : 'random init';
    lines.push(
      `  backbone ${bb.name}: ViT ${bb.image}px/${bb.patch}, dim ${bb.dim}, depth ${bb.depth}, heads ${bb.heads}: ${formatCount(bb.params)} frozen params, ${weights}`,
    );
  }
  lines.push(
    '',
    ...table(
      ['module', 'kind', 'params', 'trained'],
      2,
      b.modules.map((m) => [m.name, m.kind, formatCount(m.params), m.trained ? 'yes' : 'no']),
    ),
  );
  lines.push(
    '',
    `  trainable ${formatCount(b.trainableParams)} (${b.trainableParams.toLocaleString('en-US')}) = ${b.sharePercent.toFixed(2)}% of ${formatCount(b.backboneParams)} backbone params; prompts and keys ${formatCount(b.promptParams)}`,
    `  inference ${formatCount(b.inferenceFlops)} FLOPs per image`,
    ...expertLines(plan),
    '',
    ...table(
      ['phase', 'trainable', 'epochs', 'batch', 'lr', 'FLOPs/step', 'activations/step'],
      1,
      plan.phases.map((p, i) => {
        const pb = b.phases[i]!;
        return [
          p.name,
          formatCount(pb.trainableParams),
          String(p.epochs),
          String(p.batch),
          p.optimizer.lr.toPrecision(3),
          formatCount(pb.flopsPerStep),
          `${formatCount(pb.activationBytes)}B`,
        ];
      }),
    ),
  );
  for (const p of plan.phases) {
    if (p.frozenExperts !== null)
      lines.push(
        `  phase ${p.name}: expert outputs ${p.frozenExperts.outputs === 'cache' ? 'cached' : 'recomputed per batch'}: ${p.frozenExperts.reason}`,
      );
  }
  if (b.assertions.length > 0) {
    lines.push('');
    for (const a of b.assertions) {
      const show = (n: number): string => (a.metric === 'share' ? `${n.toFixed(2)}%` : formatCount(n));
      lines.push(`  budget ${a.metric} ${a.op}${show(a.limit)}: ${show(a.actual)} ${a.ok ? 'ok' : 'EXCEEDED'}`);
    }
  }
  return lines.join('\n');
}

/** With several experts or a scorer: each expert's trainable parameters and FLOPs, and the scorer. */
function expertLines(plan: Plan): string[] {
  const scorer = plan.modules.scorer;
  if (plan.budget.experts.length < 2 && scorer === null) return [];
  const rows = plan.budget.experts.map((e) => [
    e.name,
    e.backbone,
    formatCount(e.trainableParams),
    formatCount(e.inferenceFlops),
  ]);
  if (scorer !== null) {
    const what = `${scorer.kind}(${scorer.experts.join(', ')}; ${scorer.input}, hidden ${scorer.hidden}, ${scorer.gate}, ${scorer.weights})`;
    rows.push([`scorer ${scorer.name}`, what, formatCount(scorer.params), formatCount(2 * scorer.params)]);
  }
  return ['', ...table(['expert', 'backbone', 'trainable', 'FLOPs/image'], 2, rows)];
}

/** A text table whose first `leftColumns` columns are left-aligned and the rest right-aligned. */
function table(header: readonly string[], leftColumns: number, rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}
