/**
 * Which of the memory estimate's model paths (the plan's budget, bytesPerImage) a backbone's paths
 * take: the native kernels' (fused LayerNorm, GELU and attention) or tfjs ops'.
 */
import type { PlanModelPath } from '../../plan/plan.ts';
import type { ModelPaths } from './speed.ts';

export function modelPathOf(paths: ModelPaths): PlanModelPath {
  return paths.layerNorm === 'fused' && paths.gelu === 'fused' && paths.attention === 'fused' ? 'native' : 'ops';
}
