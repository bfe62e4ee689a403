/**
 * Datasets of image files, decoded lazily per batch: an image folder (one subfolder per class,
 * classes in sorted name order, as torchvision's ImageFolder) and a split list ("relative/path
 * label" per line, the ImageNet-LT / Places-LT / iNaturalist 2018 format). Missing files are
 * reported when the dataset is opened, naming the list line.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { type FileDataset, countPerClass } from './dataset.ts';
import { DataError, reason } from './errors.ts';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

export interface FileDatasetOptions {
  /** Channels to decode to (default 3). */
  readonly channels?: 1 | 3;
  /** Check that every listed file exists when opening (default true). */
  readonly verify?: boolean;
  readonly name?: string;
}

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new DataError('io', dir, code === 'ENOENT' ? 'folder not found' : `cannot read folder (${reason(error)})`);
  }
}

/** Every .jpg, .jpeg and .png file under `dir`, recursively, in sorted order. */
export async function imagesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = (await listDir(dir)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await imagesUnder(full)));
    else if (IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) found.push(full);
  }
  return found;
}

/** root/<class name>/**.{jpg,jpeg,png}; class i is the i-th subfolder name in sorted order. */
export async function loadImageFolder(root: string, options: FileDatasetOptions = {}): Promise<FileDataset> {
  const classNames = (await listDir(root))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (classNames.length === 0) throw new DataError('format', root, 'has no class subfolders');
  const files: string[] = [];
  const labelList: number[] = [];
  for (const [label, name] of classNames.entries()) {
    const images = await imagesUnder(path.join(root, name));
    if (images.length === 0)
      throw new DataError('format', path.join(root, name), 'class folder has no .jpg, .jpeg or .png images');
    files.push(...images);
    for (const _ of images) labelList.push(label);
  }
  const labels = Int32Array.from(labelList);
  const classes = classNames.length;
  return {
    kind: 'files',
    name: options.name ?? path.basename(path.resolve(root)),
    files,
    labels,
    classes,
    counts: countPerClass(labels, classes),
    classNames,
    channels: options.channels ?? 3,
  };
}

export interface SplitListOptions extends FileDatasetOptions {
  /** Class count; default: the largest label + 1. */
  readonly classes?: number;
  readonly classNames?: readonly string[];
}

const LINE = /^(.*\S)\s+(-?\d+)\s*$/;

/** A split list: each non-empty line is "relative/path label", paths relative to `root`. */
export async function loadSplitList(
  listFile: string,
  root: string,
  options: SplitListOptions = {},
): Promise<FileDataset> {
  let text: string;
  try {
    text = await readFile(listFile, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new DataError('io', listFile, code === 'ENOENT' ? 'file not found' : `cannot read (${reason(error)})`);
  }
  const files: string[] = [];
  const labelList: number[] = [];
  const lineList: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) return;
    const match = LINE.exec(line);
    if (!match) throw new DataError('format', listFile, `expected "relative/path label", found "${line}"`, i + 1);
    const label = Number(match[2]);
    if (label < 0) throw new DataError('label', listFile, `label ${label} is negative`, i + 1);
    files.push(path.resolve(root, match[1]!));
    labelList.push(label);
    lineList.push(i + 1);
  });
  if (files.length === 0) throw new DataError('format', listFile, 'lists no images');
  const labels = Int32Array.from(labelList);
  const lines = Int32Array.from(lineList);
  const classes = options.classes ?? options.classNames?.length ?? labelList.reduce((a, b) => Math.max(a, b), 0) + 1;
  const bad = labels.findIndex((l) => l >= classes);
  if (bad >= 0)
    throw new DataError('label', listFile, `label ${labels[bad]} is not below the class count ${classes}`, lines[bad]);
  if (options.verify ?? true) {
    files.forEach((file, i) => {
      if (!existsSync(file)) throw new DataError('io', listFile, `image not found: ${file}`, lines[i]);
    });
  }
  return {
    kind: 'files',
    name: options.name ?? path.basename(listFile),
    files,
    labels,
    classes,
    counts: countPerClass(labels, classes),
    channels: options.channels ?? 3,
    listedIn: { file: listFile, lines },
    ...(options.classNames ? { classNames: options.classNames } : {}),
  };
}
