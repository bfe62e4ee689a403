/**
 * Which image decoder a run uses. `sharp` (libvips: libjpeg-turbo, libpng) decodes, crops and
 * shrinks in native code; `js` is the pure-JavaScript fallback (jpeg-js, pngjs) with the
 * project's torch-matching resize. The default is sharp when its native binary loads, else js,
 * and the reason is kept so the run can say what it uses. Asking for sharp where it cannot load
 * is an error, not a silent fallback.
 */
import { UserError } from '../../errors.ts';
import { nativeAddon } from '../../model/kernels/native_addon.ts';
import { reason } from '../errors.ts';
import { HEAP_BLOCKS_UP_TO, KEEP_FREE_UP_TO } from './kept_memory.ts';

export type DecoderName = 'sharp' | 'js';

export interface DecoderChoice {
  readonly name: DecoderName;
  /** e.g. "sharp 0.35.5 (libvips 8.18.7)" or "jpeg-js/pngjs". */
  readonly label: string;
  readonly reason: string;
}

export const JS_DECODER_LABEL = 'jpeg-js/pngjs';

/** A decoder that was asked for by name and cannot load, or an unknown name. */
export class ImageLoadingError extends UserError {
  override readonly name = 'ImageLoadingError';
}

type SharpModule = typeof import('sharp').default;

let sharpModule: Promise<SharpModule> | undefined;

/** The sharp module, loaded once per process. */
export function loadSharp(): Promise<SharpModule> {
  sharpModule ??= import('sharp').then((m) => {
    const sharp = m.default;
    // One libvips thread per image: parallelism comes from the worker pool, as in a torch DataLoader.
    sharp.concurrency(1);
    sharp.cache(false);
    // Keep freed blocks (kept_memory.ts): glibc would fault every image's pages in afresh.
    nativeAddon()?.keepFreedMemory?.(HEAP_BLOCKS_UP_TO, KEEP_FREE_UP_TO);
    return sharp;
  });
  return sharpModule;
}

/** `requested` names a decoder (by `source`, e.g. "LPT_DECODER"); undefined picks the best that loads. */
export async function chooseDecoder(requested?: DecoderName, source = 'the caller'): Promise<DecoderChoice> {
  if (requested === 'js') return { name: 'js', label: JS_DECODER_LABEL, reason: `requested by ${source}` };
  try {
    const sharp = await loadSharp();
    const label = `sharp ${sharp.versions.sharp ?? '?'} (libvips ${sharp.versions.vips})`;
    return {
      name: 'sharp',
      label,
      reason: requested === 'sharp' ? `requested by ${source}` : 'native libvips binary loaded',
    };
  } catch (error) {
    if (requested === 'sharp')
      throw new ImageLoadingError(`${source} asks for the sharp decoder, but sharp cannot load: ${reason(error)}`);
    return {
      name: 'js',
      label: JS_DECODER_LABEL,
      reason: `sharp cannot load (${reason(error)}); using the pure-JavaScript decoders`,
    };
  }
}
