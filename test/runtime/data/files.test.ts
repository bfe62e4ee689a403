/**
 * Image folders and split lists on small generated PNG and JPEG files: labels, class order,
 * decoding (RGB and luminance), lazy loading, and errors that name the file and the list line.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { loadBatch, loadImage } from '../../../runtime/data/batch.ts';
import { decodeImage } from '../../../runtime/data/decode.ts';
import { loadImageFolder, loadSplitList } from '../../../runtime/data/files.ts';

const root = mkdtempSync(path.join(tmpdir(), 'lpt-files-'));

/** RGBA pixels of a w x h image filled with one colour. */
function solid(w: number, h: number, [r, g, b]: [number, number, number]): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let p = 0; p < w * h; p++) data.set([r, g, b, 255], 4 * p);
  return data;
}
const png = (w: number, h: number, rgb: [number, number, number]): Buffer => {
  const image = new pngjs.PNG({ width: w, height: h });
  image.data = solid(w, h, rgb);
  return pngjs.PNG.sync.write(image);
};
const jpg = (w: number, h: number, rgb: [number, number, number]): Buffer =>
  jpeg.encode({ width: w, height: h, data: solid(w, h, rgb) }, 100).data;

function put(relative: string, bytes: Uint8Array | string): void {
  const full = path.join(root, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, bytes);
}

put('folder/zebra/a.png', png(4, 3, [255, 0, 0]));
put('folder/zebra/nested/b.jpg', jpg(8, 8, [0, 0, 255]));
put('folder/ant/c.PNG', png(5, 5, [0, 255, 0]));
put('folder/ant/notes.txt', 'not an image');
put('images/x.png', png(6, 4, [10, 20, 30]));
put('images/y.jpg', jpg(6, 4, [200, 200, 200]));
put('images/broken.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 1, 2, 3]));
put('images/text.png', 'hello');
put('train.txt', '# a comment\nimages/x.png 1\n\nimages/y.jpg 0\nimages/broken.jpg 2\nimages/text.png 2\n');

test('an image folder: classes are sorted subfolders, files found recursively, non-images ignored', async (t) => {
  const ds = await loadImageFolder(path.join(root, 'folder'));
  t.deepEqual(ds.classNames, ['ant', 'zebra']);
  t.deepEqual(
    ds.files.map((f) => path.relative(path.join(root, 'folder'), f)),
    ['ant/c.PNG', 'zebra/a.png', 'zebra/nested/b.jpg'],
  );
  t.deepEqual(Array.from(ds.labels), [0, 1, 1]);
  t.deepEqual(Array.from(ds.counts), [1, 2]);
  const red = await loadImage(ds, 1);
  t.deepEqual([red.channels, red.height, red.width], [3, 3, 4]);
  t.deepEqual([red.data[0], red.data[12], red.data[24]], [1, 0, 0]); // R, G, B planes of pixel 0
});

test('a split list: "path label" lines, comments and blank lines skipped, lazy decoding', async (t) => {
  const ds = await loadSplitList(path.join(root, 'train.txt'), root);
  t.deepEqual(Array.from(ds.labels), [1, 0, 2, 2]);
  t.deepEqual(Array.from(ds.listedIn!.lines), [2, 4, 5, 6]);
  t.is(ds.classes, 3);
  const grey = await loadImage({ ...ds, channels: 1 }, 0);
  t.is(grey.channels, 1);
  t.true(Math.abs(grey.data[0]! - (10 * 0.299 + 20 * 0.587 + 30 * 0.114) / 255) < 1e-6);
  const jpegPixel = (await loadImage(ds, 1)).data[0]!;
  t.true(Math.abs(jpegPixel - 200 / 255) < 3 / 255); // JPEG is lossy, but not by much at quality 100
});

test('corrupt and non-image files are reported with the list file, line and image path', async (t) => {
  const ds = await loadSplitList(path.join(root, 'train.txt'), root);
  await t.throwsAsync(loadImage(ds, 2), { message: /train\.txt:5: .*broken\.jpg: corrupt JPEG image/ });
  await t.throwsAsync(loadImage(ds, 3), { message: /train\.txt:6: .*text\.png: not a JPEG or PNG image/ });
  await t.throwsAsync(loadBatch(ds, Int32Array.of(0, 3), [{ kind: 'resize', size: [4, 4] }], { seed: 0, keys: [] }), {
    message: /train\.txt:6:/,
  });
});

test('a split list names the line of a malformed entry, a bad label or a missing image', async (t) => {
  const list = (name: string, text: string): string => {
    put(name, text);
    return path.join(root, name);
  };
  await t.throwsAsync(loadSplitList(list('a.txt', 'images/x.png 0\nimages/y.jpg\n'), root), {
    message: /a\.txt:2: expected "relative\/path label"/,
  });
  await t.throwsAsync(loadSplitList(list('b.txt', 'images/x.png -1\n'), root), {
    message: /b\.txt:1: label -1 is negative/,
  });
  await t.throwsAsync(loadSplitList(list('c.txt', 'images/x.png 0\nimages/y.jpg 5\n'), root, { classes: 3 }), {
    message: /c\.txt:2: label 5/,
  });
  await t.throwsAsync(loadSplitList(list('d.txt', 'images/x.png 0\n\nimages/gone.jpg 1\n'), root), {
    message: /d\.txt:3: image not found: .*gone\.jpg/,
  });
  await t.throwsAsync(loadSplitList(path.join(root, 'none.txt'), root), { message: /none\.txt: file not found/ });
  await t.throwsAsync(loadImageFolder(path.join(root, 'nothing')), { message: /nothing: folder not found/ });
});

test('paths with spaces keep everything before the last field', async (t) => {
  put('images/with space.png', png(2, 2, [1, 2, 3]));
  put('spaces.txt', 'images/with space.png 4\n');
  const ds = await loadSplitList(path.join(root, 'spaces.txt'), root);
  t.is(path.basename(ds.files[0]!), 'with space.png');
  t.is(ds.labels[0], 4);
  t.is(ds.classes, 5);
});

test('decodeImage refuses empty input', (t) => {
  t.throws(() => decodeImage(new Uint8Array(0), 'e.png', 3), { message: /e\.png: empty image file/ });
});
