/**
 * The environment variables of the runtime, read here at the command line's edge:
 * LPT_ATTENTION, LPT_LAYERNORM, LPT_GELU, LPT_BLOCK, LPT_COPIES, LPT_MATMUL, LPT_PROMPTS, LPT_PREFIX, LPT_LAST_BLOCK (speed levers,
 * docs/PERFORMANCE.md) and LPT_QUERY_CACHE=0 (phase 2 recomputes every query). The image-loading
 * variables are read by runtime/data/pipeline/image_loading_env.ts, which the data bench shares.
 */
import { speedSettingsFromEnv } from '../runtime/model/speed.ts';
import type { RuntimeSettings } from '../runtime/settings.ts';

/** Throws SpeedSettingError on a value a lever does not know. */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  return { speed: speedSettingsFromEnv(env), queryCache: env.LPT_QUERY_CACHE !== '0' };
}
