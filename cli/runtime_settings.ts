/**
 * The environment variables of the runtime, read here at the command line's edge: the speed levers,
 * the native addon's variables and LPT_DAWN_FLAGS (parsed by runtime/settings_env.ts, which the
 * bench shares) and LPT_QUERY_CACHE=0 (phase 2 recomputes every query). The image-loading variables are read by
 * runtime/data/pipeline/image_loading_env.ts, which the data bench shares.
 */
import type { RuntimeSettings } from '../runtime/settings.ts';
import { dawnFlagsFromEnv, nativeAddonSettingsFromEnv, speedSettingsFromEnv } from '../runtime/settings_env.ts';

/** Throws SpeedSettingError on a value a lever does not know. */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  return {
    speed: speedSettingsFromEnv(env),
    queryCache: env.LPT_QUERY_CACHE !== '0',
    native: nativeAddonSettingsFromEnv(env),
    dawnFlags: dawnFlagsFromEnv(env),
  };
}
