/**
 * JPEG and PNG decoding through pure-JS libraries (jpeg-js, pngjs), chosen by the file's magic
 * bytes rather than its extension. Alpha is dropped (as PIL's convert('RGB') does) and
 * greyscale is replicated to RGB, so every image comes out with the dataset's channel count.
 */
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DataError, reason } from './errors.ts';
import { type Image, imageFromRgba } from './image.ts';

export type ImageFormat = 'jpeg' | 'png';

export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  return undefined;
}

/** Decodes `bytes` (read from `file`, named in errors) to a [channels, H, W] image in 0..1. */
export function decodeImage(bytes: Uint8Array, file: string, channels: 1 | 3): Image {
  const format = sniffFormat(bytes);
  if (format === undefined)
    throw new DataError('format', file, bytes.length === 0 ? 'empty image file' : 'not a JPEG or PNG image');
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded =
      format === 'jpeg'
        ? jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false })
        : pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new DataError('format', file, `corrupt ${format.toUpperCase()} image (${reason(error)})`);
  }
  if (decoded.width <= 0 || decoded.height <= 0 || decoded.data.length < decoded.width * decoded.height * 4) {
    throw new DataError('format', file, `corrupt ${format.toUpperCase()} image (no pixel data)`);
  }
  return imageFromRgba(decoded.data, decoded.height, decoded.width, channels);
}
