/**
 * The benchmark's image folder: MNIST test digits (shipped with the project) re-encoded as
 * photo-sized colour JPEGs, so the decoder and resizer do Places-LT-sized work. Each image is one
 * digit, tinted, enlarged to a long side drawn from 256..500 px with one of the usual aspect
 * ratios, with grain added (a smooth enlarged digit would compress to almost nothing and decode
 * unrealistically fast), saved at JPEG quality 90 under <class>/ like an ImageFolder. The folder
 * is cached under the system temp folder and reused when it is already complete.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { loadMnist } from '../../runtime/data/idx.ts';
import { createRng } from '../../runtime/train/rng.ts';

const ASPECTS = [4 / 3, 3 / 4, 1, 3 / 2, 2 / 3];

function countJpegs(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .reduce((n, e) => n + readdirSync(path.join(dir, e.name)).filter((f) => f.endsWith('.jpg')).length, 0);
}

async function photo(digit: Uint8Array, index: number): Promise<{ jpeg: Buffer; width: number; height: number }> {
  const rng = createRng(0, 'bench-data', index);
  const long = 256 + rng.int(245);
  const aspect = ASPECTS[rng.int(ASPECTS.length)]!;
  const [width, height] = aspect >= 1 ? [long, Math.round(long / aspect)] : [Math.round(long * aspect), long];
  const tint = [0, 1, 2].map(() => 0.3 + 0.7 * rng.uniform());
  const rgb = Buffer.alloc(28 * 28 * 3);
  for (let p = 0; p < 28 * 28; p++) for (let c = 0; c < 3; c++) rgb[3 * p + c] = 40 + digit[p]! * tint[c]! * 0.8;
  const big = await sharp(rgb, { raw: { width: 28, height: 28, channels: 3 } })
    .resize({ width, height, fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  let s = (index * 2654435761) >>> 0;
  for (let i = 0; i < big.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    big[i] = Math.max(0, Math.min(255, big[i]! + ((s >>> 24) % 41) - 20));
  }
  const jpeg = await sharp(big, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  return { jpeg, width, height };
}

/** The folder of `count` JPEGs (made on first use); returns its path. */
export async function benchFolder(count: number, log: (line: string) => void): Promise<string> {
  const dir = path.join(tmpdir(), `lpt-bench-data-${count}`);
  if (countJpegs(dir) === count) return dir;
  const started = Date.now();
  const mnist = await loadMnist('test');
  const [, h, w] = mnist.shape;
  const building = `${dir}.partial-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const label = mnist.labels[i]!;
    const { jpeg } = await photo(mnist.images.subarray(i * h * w, (i + 1) * h * w) as Uint8Array, i);
    bytes += jpeg.length;
    mkdirSync(path.join(building, String(label)), { recursive: true });
    writeFileSync(path.join(building, String(label), `${String(i).padStart(6, '0')}.jpg`), jpeg);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  log(
    `made ${count} JPEGs (256-500 px long side, mean ${Math.round(bytes / count / 1024)} KiB) in ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return dir;
}
