/**
 * One decoded image as float pixels in [C, H, W] layout (values 0..1 for decoded files and byte
 * datasets), plus the pixel-exact geometric operations transforms are built from: crop (with
 * zero fill outside the image, as torchvision's center crop pads), pad and horizontal flip.
 */

export interface Image {
  readonly data: Float32Array;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

export function createImage(channels: number, height: number, width: number): Image {
  return { data: new Float32Array(channels * height * width), channels, height, width };
}

/** Bytes 0..255 (already [C, H, W]) to floats 0..1. */
export function imageFromBytes(bytes: Uint8Array, channels: number, height: number, width: number): Image {
  const data = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) data[i] = bytes[i]! / 255;
  return { data, channels, height, width };
}

/** Interleaved RGBA bytes (what the JPEG and PNG decoders give) to planar RGB or luminance. */
export function imageFromRgba(rgba: Uint8Array, height: number, width: number, channels: 1 | 3): Image {
  return imageFromInterleaved(rgba, 4, height, width, channels);
}

/** Interleaved bytes with `stride` values per pixel (R, G, B first) to planar RGB or luminance in 0..1. */
export function imageFromInterleaved(
  bytes: Uint8Array,
  stride: number,
  height: number,
  width: number,
  channels: 1 | 3,
): Image {
  const plane = height * width;
  const image = createImage(channels, height, width);
  const out = image.data;
  for (let p = 0; p < plane; p++) {
    const r = bytes[stride * p]!;
    const g = bytes[stride * p + 1]!;
    const b = bytes[stride * p + 2]!;
    if (channels === 3) {
      out[p] = r / 255;
      out[plane + p] = g / 255;
      out[2 * plane + p] = b / 255;
    } else {
      out[p] = (r * 299 + g * 587 + b * 114) / 1000 / 255; // ITU-R 601-2 luma, as PIL's convert('L')
    }
  }
  return image;
}

/**
 * The window of `height` x `width` whose top-left corner is (top, left); the window may reach
 * outside the image (negative top/left or past the edge), where it is filled with `fill`.
 */
export function crop(image: Image, top: number, left: number, height: number, width: number, fill = 0): Image {
  const out = createImage(image.channels, height, width);
  if (fill !== 0) out.data.fill(fill);
  const y0 = Math.max(0, -top);
  const y1 = Math.min(height, image.height - top);
  const x0 = Math.max(0, -left);
  const x1 = Math.min(width, image.width - left);
  if (y0 >= y1 || x0 >= x1) return out;
  for (let c = 0; c < image.channels; c++) {
    for (let y = y0; y < y1; y++) {
      const src = (c * image.height + y + top) * image.width + left;
      out.data.set(image.data.subarray(src + x0, src + x1), (c * height + y) * width + x0);
    }
  }
  return out;
}

/** `padding` pixels of `fill` on every side. */
export function pad(image: Image, padding: number, fill = 0): Image {
  return crop(image, -padding, -padding, image.height + 2 * padding, image.width + 2 * padding, fill);
}

export function flipHorizontal(image: Image): Image {
  const out = createImage(image.channels, image.height, image.width);
  const w = image.width;
  for (let row = 0; row < image.channels * image.height; row++) {
    for (let x = 0; x < w; x++) out.data[row * w + x] = image.data[row * w + (w - 1 - x)]!;
  }
  return out;
}
