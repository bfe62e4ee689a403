/**
 * The image-loading variables, LPT_DECODER=sharp|js, LPT_DATA_WORKERS=N (0: the main thread) and
 * LPT_PREFETCH=N (training batches read ahead), turned into an ImageLoading. The runtime never
 * reads the environment itself: the command line (cli/runtime_settings.ts) and the data bench
 * (bench/data/run.ts) pass theirs, as they pass it to speedSettingsFromEnv (runtime/model/speed.ts).
 */
import { ImageLoadingError } from './decoder.ts';
import { type ImageLoading, defaultWorkerCount } from './loader.ts';

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 0))
    throw new ImageLoadingError(`${name} must be a whole number >= 0, got '${value}'`);
  return n;
}

/** Throws ImageLoadingError on a value it does not know. */
export function imageLoadingFromEnv(env: NodeJS.ProcessEnv): ImageLoading {
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
