/**
 * The environment variables of the runtime, read here at the command line's edge only:
 * LPT_ATTENTION, LPT_LAYERNORM, LPT_GELU, LPT_BLOCK, LPT_COPIES, LPT_MATMUL, LPT_PROMPTS, LPT_PREFIX, LPT_LAST_BLOCK (speed levers,
 * docs/PERFORMANCE.md), LPT_QUERY_CACHE=0 (phase 2 recomputes every query), and the image
 * loading of file datasets: LPT_DECODER=sharp|js, LPT_DATA_WORKERS=N (0: the main thread),
 * LPT_PREFETCH=N (training batches read ahead).
 */
import { ImageLoadingError } from '../runtime/data/pipeline/decoder.ts';
import { type ImageLoading, defaultWorkerCount } from '../runtime/data/pipeline/loader.ts';
import { speedSettingsFromEnv } from '../runtime/model/speed.ts';
import type { RuntimeSettings } from '../runtime/settings.ts';

/** Throws SpeedSettingError on a value a lever does not know. */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  return { speed: speedSettingsFromEnv(env), queryCache: env.LPT_QUERY_CACHE !== '0' };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 0))
    throw new ImageLoadingError(`${name} must be a whole number >= 0, got '${value}'`);
  return n;
}

/** Throws ImageLoadingError on a value it does not know. */
export function imageLoadingFromEnv(env: NodeJS.ProcessEnv = process.env): ImageLoading {
  const decoder = env.LPT_DECODER;
  if (decoder !== undefined && decoder !== '' && decoder !== 'sharp' && decoder !== 'js') {
    throw new ImageLoadingError(`LPT_DECODER must be 'sharp' or 'js', got '${decoder}'`);
  }
  return {
    ...(decoder ? { decoder, decoderSource: 'LPT_DECODER' } : {}),
    workers: wholeNumber(env, 'LPT_DATA_WORKERS', defaultWorkerCount()),
    readAhead: wholeNumber(env, 'LPT_PREFETCH', 2),
  };
}
