/**
 * The runtime's settings parsed from a map of environment variables that the caller hands in (the
 * command line, cli/runtime_settings.ts, and the bench pass process.env; nothing here reads it):
 * the speed levers LPT_ATTENTION, LPT_LAYERNORM, LPT_GELU, LPT_BLOCK, LPT_BLOCK_GRAD, LPT_COPIES,
 * LPT_MATMUL, LPT_PROMPTS, LPT_PREFIX, LPT_LAST_BLOCK (docs/PERFORMANCE.md), and the native
 * addon's LPT_NATIVE=off and LPT_NATIVE_THREADS=N, and Dawn's switches LPT_DAWN_FLAGS.
 */
import type { NativeAddonSettings } from './model/kernels/native_addon.ts';
import { DEFAULT_SPEED, SpeedSettingError, speedChoices, type SpeedSettings } from './model/speed.ts';

export const SPEED_ENV: Readonly<Record<keyof SpeedSettings, string>> = {
  attention: 'LPT_ATTENTION',
  layerNorm: 'LPT_LAYERNORM',
  gelu: 'LPT_GELU',
  block: 'LPT_BLOCK',
  blockGrad: 'LPT_BLOCK_GRAD',
  copies: 'LPT_COPIES',
  matmul: 'LPT_MATMUL',
  prompts: 'LPT_PROMPTS',
  prefix: 'LPT_PREFIX',
  lastBlock: 'LPT_LAST_BLOCK',
};

function speedChoice<K extends keyof SpeedSettings>(env: NodeJS.ProcessEnv, key: K): SpeedSettings[K] {
  const raw = env[SPEED_ENV[key]];
  if (raw === undefined || raw === '') return DEFAULT_SPEED[key];
  const choice = speedChoices(key).find((c) => c === raw);
  if (choice === undefined) {
    throw new SpeedSettingError(`${SPEED_ENV[key]}='${raw}' is not one of ${speedChoices(key).join(', ')}`);
  }
  return choice;
}

/** Settings named by the environment, defaults elsewhere; throws SpeedSettingError on a bad value. */
export function speedSettingsFromEnv(env: NodeJS.ProcessEnv): SpeedSettings {
  return {
    attention: speedChoice(env, 'attention'),
    layerNorm: speedChoice(env, 'layerNorm'),
    gelu: speedChoice(env, 'gelu'),
    block: speedChoice(env, 'block'),
    blockGrad: speedChoice(env, 'blockGrad'),
    copies: speedChoice(env, 'copies'),
    matmul: speedChoice(env, 'matmul'),
    prompts: speedChoice(env, 'prompts'),
    prefix: speedChoice(env, 'prefix'),
    lastBlock: speedChoice(env, 'lastBlock'),
  };
}

/** LPT_NATIVE=off and LPT_NATIVE_THREADS (a positive whole number; unset or 0: the BLAS's default). */
export function nativeAddonSettingsFromEnv(env: NodeJS.ProcessEnv): NativeAddonSettings {
  const threads = Number(env.LPT_NATIVE_THREADS ?? '0');
  return { enabled: env.LPT_NATIVE !== 'off', threads: Number.isInteger(threads) && threads > 0 ? threads : 0 };
}

/** LPT_DAWN_FLAGS: Dawn's own switches for the webgpu backend, space-separated. */
export function dawnFlagsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.LPT_DAWN_FLAGS ?? '').split(/\s+/).filter((flag) => flag !== '');
}
