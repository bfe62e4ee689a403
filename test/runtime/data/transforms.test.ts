/** Transforms: torchvision's geometry, determinism for a seed stream, and normalisation. */
import test from 'ava';
import { type Image, crop, flipHorizontal, pad } from '../../../runtime/data/image.ts';
import {
  type TransformSpec,
  applyTransforms,
  centerCrop,
  normalize,
  randomResizedCropBox,
  resizedSize,
  roundHalfEven,
} from '../../../runtime/data/transforms.ts';
import { createRng } from '../../../runtime/train/rng.ts';

/** A [C, H, W] image whose pixel value encodes its position: c * 10000 + y * 100 + x. */
function ramp(channels: number, height: number, width: number): Image {
  const data = new Float32Array(channels * height * width);
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) data[(c * height + y) * width + x] = c * 10000 + y * 100 + x;
  return { data, channels, height, width };
}
const at = (img: Image, c: number, y: number, x: number): number => img.data[(c * img.height + y) * img.width + x]!;

test("Python's round: halves to even", (t) => {
  t.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, 3]);
});

test('crop, pad and flip move pixels where expected, with zero fill outside', (t) => {
  const img = ramp(2, 4, 5);
  const c = crop(img, 1, 2, 2, 3);
  t.deepEqual([at(c, 0, 0, 0), at(c, 1, 1, 2)], [102, 10204]);
  const p = pad(img, 2);
  t.deepEqual([p.height, p.width, at(p, 0, 0, 0), at(p, 1, 2, 2)], [8, 9, 0, 10000]);
  const f = flipHorizontal(img);
  t.is(at(f, 1, 3, 0), 10304);
  const outside = crop(img, -1, -1, 2, 2);
  t.deepEqual(Array.from(outside.data.subarray(0, 4)), [0, 0, 0, 0]);
});

test('center crop takes the middle (rounding like torchvision) and pads when the image is smaller', (t) => {
  const img = ramp(1, 5, 6);
  const c = centerCrop(img, 3, 3);
  t.is(at(c, 0, 0, 0), 101 + 1); // top = round(1) = 1, left = round(1.5) = 2
  const big = centerCrop(img, 7, 9);
  t.deepEqual([big.height, big.width], [7, 9]);
  t.is(at(big, 0, 1, 1), 0); // top pad 1, left pad 1 -> (1,1) is the image's (0,0)
  t.is(at(big, 0, 0, 0), 0);
  t.is(at(big, 0, 2, 2), 101);
});

test('resize with an int sets the shorter side, as torchvision', (t) => {
  t.deepEqual(resizedSize(300, 400, 256), [256, 341]);
  t.deepEqual(resizedSize(500, 375, 256), [341, 256]);
  t.deepEqual(resizedSize(10, 20, [3, 4]), [3, 4]);
});

test('random resized crop boxes lie inside the image, with area and aspect in range', (t) => {
  const rng = createRng(0, 'rrc');
  let fallback = 0;
  for (let i = 0; i < 2000; i++) {
    const box = randomResizedCropBox(40, 60, rng);
    t.true(box.top >= 0 && box.left >= 0 && box.top + box.height <= 40 && box.left + box.width <= 60);
    const area = (box.height * box.width) / (40 * 60);
    if (box.height === 40 && box.width === 53) fallback++;
    else t.true(area > 0.06 && area <= 1.0001, `area fraction ${area}`);
  }
  t.true(fallback < 100);
  // Impossible ratios fall back to the central crop with the closest allowed aspect.
  const box = randomResizedCropBox(10, 100, createRng(1), [0.9, 1], [1, 1]);
  t.deepEqual(box, { top: 0, left: 45, height: 10, width: 10 });
});

test('a training pipeline is deterministic for a stream and differs across streams', (t) => {
  const img = ramp(3, 28, 28);
  const train: TransformSpec[] = [
    { kind: 'randomResizedCrop', size: 24 },
    { kind: 'flip' },
    { kind: 'normalize', mean: [0.5], std: [0.5] },
  ];
  const a = applyTransforms(train, img, createRng(3, 'augment', 0, 0));
  const b = applyTransforms(train, img, createRng(3, 'augment', 0, 0));
  const c = applyTransforms(train, img, createRng(3, 'augment', 0, 1));
  t.deepEqual([a.channels, a.height, a.width], [3, 24, 24]);
  t.deepEqual(a.data, b.data);
  t.notDeepEqual(a.data, c.data);
});

test('flip happens about half the time; pad-and-crop keeps the size and shifts by at most the padding', (t) => {
  const img = ramp(1, 8, 8);
  const rng = createRng(4, 'flip');
  let flips = 0;
  for (let i = 0; i < 2000; i++) if (applyTransforms([{ kind: 'flip' }], img, rng) !== img) flips++;
  t.true(Math.abs(flips / 2000 - 0.5) < 0.04);
  const shifts = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const out = applyTransforms([{ kind: 'padCrop', size: 8, padding: 2 }], img, rng);
    t.deepEqual([out.height, out.width], [8, 8]);
    const where = out.data.indexOf(303); // the image's pixel (3, 3), inside every possible crop
    t.true(where >= 0);
    const dy = Math.floor(where / 8) - 3;
    const dx = (where % 8) - 3;
    t.true(Math.abs(dy) <= 2 && Math.abs(dx) <= 2, `shift ${dy},${dx}`);
    shifts.add(`${dy},${dx}`);
  }
  t.true(shifts.size > 5);
  t.throws(() => applyTransforms([{ kind: 'padCrop', size: 13, padding: 2 }], img, rng), {
    message: /larger than the padded image/,
  });
});

test('normalize uses per-channel mean and std, and checks the channel count', (t) => {
  const img = { data: Float32Array.of(1, 1, 0.5, 0.5), channels: 2, height: 1, width: 2 };
  t.deepEqual(Array.from(normalize(img, [0.5, 0.25], [0.5, 0.25]).data), [1, 1, 1, 1]);
  t.throws(() => normalize(img, [0.5, 0.5, 0.5], [1, 1]), { message: /mean has 3 values for 2 channels/ });
});

test("to_rgb repeats a grey image's channel three times (torchvision's Grayscale(3) inverse) and leaves colour alone", (t) => {
  const grey = ramp(1, 2, 3);
  const rgb = applyTransforms([{ kind: 'toRgb' }], grey, createRng(0));
  t.deepEqual([rgb.channels, rgb.height, rgb.width], [3, 2, 3]);
  for (let c = 0; c < 3; c++) t.is(at(rgb, c, 1, 2), at(grey, 0, 1, 2));
  const colour = ramp(3, 2, 2);
  t.is(applyTransforms([{ kind: 'toRgb' }], colour, createRng(0)), colour);
  t.throws(() => applyTransforms([{ kind: 'toRgb' }], ramp(2, 1, 1), createRng(0)), { message: /1- or 3-channel/ });
});
