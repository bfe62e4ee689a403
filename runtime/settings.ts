/**
 * Runtime choices that change how results are computed, never the results: the speed levers
 * (model/speed.ts), phase 2's query cache and the native addon's settings. The command line reads
 * them from the environment (cli/runtime_settings.ts); library callers pass them; nothing below
 * reads the environment.
 */
import { DEFAULT_NATIVE_ADDON, type NativeAddonSettings } from './model/kernels/native_addon.ts';
import { DEFAULT_SPEED, type SpeedSettings } from './model/speed.ts';

export interface RuntimeSettings {
  readonly speed: SpeedSettings;
  /** Whether phase 2 may cache each image's query where that is exact (model/query_cache.ts). */
  readonly queryCache: boolean;
  readonly native: NativeAddonSettings;
  /** Images per stream in one pass of every phase's step (`--micro-batch`); absent: the plan's, else chosen (run/micro_batch_choice.ts). */
  readonly microBatch?: number;
  /** Dawn's own switches for the webgpu backend (LPT_DAWN_FLAGS): for reproducing a GPU's behaviour, not for runs. */
  readonly dawnFlags?: readonly string[];
}

export const DEFAULT_RUNTIME_SETTINGS: RuntimeSettings = {
  speed: DEFAULT_SPEED,
  queryCache: true,
  native: DEFAULT_NATIVE_ADDON,
};
