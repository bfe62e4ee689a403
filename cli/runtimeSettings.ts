/**
 * The environment variables of the runtime, read here at the command line's edge only:
 * LPT_ATTENTION, LPT_LAYERNORM, LPT_GELU, LPT_COPIES, LPT_MATMUL, LPT_PROMPTS (speed levers,
 * docs/PERFORMANCE.md) and LPT_QUERY_CACHE=0 (phase 2 recomputes every query).
 */
import { speedSettingsFromEnv } from '../runtime/model/speed.ts';
import type { RuntimeSettings } from '../runtime/settings.ts';

/** Throws SpeedSettingError on a value a lever does not know. */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  return { speed: speedSettingsFromEnv(env), queryCache: env.LPT_QUERY_CACHE !== '0' };
}
