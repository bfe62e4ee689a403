/**
 * A plan's splits as `split_list` files (splits/NAME.txt, "relative/path label" lines), after
 * their hold-out and long-tail steps and before any transform, so PyTorch code and lpt read the
 * same images. Images held in memory (MNIST, CIFAR) are written beside the list as 8-bit PNG
 * files (grey or RGB, as the source holds them), paths relative to the export folder; image
 * files are listed relative to their source's root, which the manifest records.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PlanSplit, PlanTransform } from '../../plan/plan.ts';
import { prepareSplit } from '../build/splits.ts';
import type { FileDataset, InMemoryDataset } from '../data/dataset.ts';
import { loadSharp } from '../data/pipeline/decoder.ts';
import { ExportError } from './export_error.ts';

export interface ExportedSplit {
  readonly name: string;
  /** Relative to the export folder. */
  readonly list: string;
  /** The folder the list's paths are relative to: "." (the export folder) or an absolute path. */
  readonly root: string;
  readonly images: number;
  readonly classes: number;
  /** The plan's transforms of the split, to apply after reading the files. */
  readonly transforms: readonly PlanTransform[];
}

/** Writes every split; returns them and the class names (the train split's, else the label numbers). */
export async function exportSplits(
  splits: readonly PlanSplit[],
  dir: string,
): Promise<{ splits: ExportedSplit[]; classNames: readonly string[] }> {
  const written: ExportedSplit[] = [];
  let classNames: readonly string[] | undefined;
  for (const split of splits) {
    const { dataset } = await prepareSplit(split);
    if (split.name === 'train' || classNames === undefined)
      classNames = dataset.classNames ?? Array.from({ length: dataset.classes }, (_, c) => String(c));
    const list = join('splits', `${split.name}.txt`);
    const { root, lines } =
      dataset.kind === 'memory'
        ? { root: '.', lines: await writeImages(dataset, split.name, dir) }
        : listFiles(dataset, split);
    writeFileSync(join(dir, list), `${lines.join('\n')}\n`);
    written.push({
      name: split.name,
      list,
      root,
      images: dataset.labels.length,
      classes: dataset.classes,
      transforms: split.transforms,
    });
  }
  return { splits: written, classNames: classNames ?? [] };
}

function listFiles(dataset: FileDataset, split: PlanSplit): { root: string; lines: string[] } {
  if (split.source.kind !== 'image_folder' && split.source.kind !== 'split_list')
    throw new Error(`split '${split.name}' holds image files but its source is ${split.source.kind}`);
  const root = split.source.root;
  return { root, lines: dataset.files.map((file, i) => `${relative(root, file)} ${dataset.labels[i]}`) };
}

/** images/<split>/<label>/<index>.png, written a few at a time; returns the list lines. */
async function writeImages(dataset: InMemoryDataset, split: string, dir: string): Promise<string[]> {
  if (!(dataset.images instanceof Uint8Array))
    throw new ExportError(`split '${split}': its images are floats, which PNG files cannot hold exactly`);
  const sharp = await loadSharp();
  const [channels, height, width] = dataset.shape;
  if (channels !== 1 && channels !== 3)
    throw new ExportError(`split '${split}': images with ${channels} channels cannot be written as PNG`);
  const size = channels * height * width;
  const digits = String(dataset.labels.length - 1).length;
  const lines: string[] = [];
  for (let c = 0; c < dataset.classes; c++) mkdirSync(join(dir, 'images', split, String(c)), { recursive: true });
  const write = (i: number) => {
    const label = dataset.labels[i]!;
    const file = join('images', split, String(label), `${String(i).padStart(digits, '0')}.png`);
    lines[i] = `${file} ${label}`;
    const pixels = interleave(
      dataset.images.subarray(i * size, (i + 1) * size) as Uint8Array,
      channels,
      height * width,
    );
    const image = sharp(pixels, { raw: { width, height, channels } });
    // libvips would store one channel as RGB; a grey image stays one channel, as the source holds it.
    return (channels === 1 ? image.toColourspace('b-w') : image).png().toFile(join(dir, file));
  };
  const parallel = 8;
  for (let start = 0; start < dataset.labels.length; start += parallel) {
    const end = Math.min(start + parallel, dataset.labels.length);
    await Promise.all(Array.from({ length: end - start }, (_, k) => write(start + k)));
  }
  return lines;
}

/** [C, H*W] planes -> [H*W, C] pixels, as image files hold them. */
function interleave(planes: Uint8Array, channels: number, pixels: number): Buffer {
  const out = Buffer.alloc(planes.length);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = planes[c * pixels + p]!;
  return out;
}
