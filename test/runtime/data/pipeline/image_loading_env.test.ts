/** The image-loading variables are checked where they are read. */
import test from 'ava';
import { imageLoadingFromEnv } from '../../../../runtime/data/pipeline/image_loading_env.ts';
import { defaultWorkerCount } from '../../../../runtime/data/pipeline/loader.ts';

test('image loading: defaults, a named decoder with its source, and clear errors for bad values', (t) => {
  t.deepEqual(imageLoadingFromEnv({}), { workers: defaultWorkerCount(), readAhead: 2 });
  t.deepEqual(imageLoadingFromEnv({ LPT_DECODER: 'js', LPT_DATA_WORKERS: '0', LPT_PREFETCH: '4' }), {
    decoder: 'js',
    decoderSource: 'LPT_DECODER',
    workers: 0,
    readAhead: 4,
  });
  t.throws(() => imageLoadingFromEnv({ LPT_DECODER: 'pil' }), {
    name: 'ImageLoadingError',
    message: /LPT_DECODER must be 'sharp' or 'js', got 'pil'/,
  });
  t.throws(() => imageLoadingFromEnv({ LPT_DATA_WORKERS: '-1' }), {
    message: /LPT_DATA_WORKERS must be a whole number >= 0, got '-1'/,
  });
  t.throws(() => imageLoadingFromEnv({ LPT_PREFETCH: 'two' }), { message: /LPT_PREFETCH must be a whole number/ });
});
