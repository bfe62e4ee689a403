/**
 * Which experts a phase runs: those that contain a module it trains; a phase that trains only the
 * scorer (or nothing the experts own) runs all the scorer's experts (or all experts).
 */
import type { ExpertInfo, ModelIndex } from './model_index.ts';
import type { TypedPhase } from './typed.ts';

export function phaseExperts(index: ModelIndex, phase: TypedPhase): ExpertInfo[] {
  const experts = index.experts();
  const trained = new Set(phase.train.map((r) => r.name));
  const owning = experts.filter(
    (e) => (e.head !== undefined && trained.has(e.head)) || e.modules.some((m) => trained.has(m.name)),
  );
  if (owning.length > 0) return owning;
  const scorer = index.scorer();
  const scorerExperts = scorer?.call?.args.get('experts')?.value;
  if (scorer && trained.has(scorer.name) && Array.isArray(scorerExperts)) {
    const names = new Set(
      scorerExperts.map((v) =>
        typeof v === 'object' && v !== null && 'name' in v ? (v as { name: string }).name : '',
      ),
    );
    return experts.filter((e) => names.has(e.name));
  }
  return experts;
}
