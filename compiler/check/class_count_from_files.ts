/**
 * The class count of an image folder or a split list, read from its files when they are there
 * (through the compiler host, so checking still never needs them): the subfolders of an image
 * folder (torchvision's ImageFolder: one class per subfolder), or the largest label of a split
 * list plus one (the runtime's default for a list, runtime/data/files.ts). Null when the files
 * are missing or tell nothing, or for a source whose count the compiler knows anyway.
 */
import type { CompilerHost } from '../host.ts';
import { argOrDefault } from './model_index.ts';
import type { CallValue } from './values.ts';

/** A split-list line ends in its label: "relative/path label". */
const LABEL = /\s(\d+)\s*$/;

export function classCountFromFiles(source: CallValue, host: CompilerHost): number | null {
  if (source.name === 'image_folder') {
    const root = argOrDefault(source, 'root');
    const count = typeof root === 'string' ? (host.subfolders?.(root)?.length ?? 0) : 0;
    return count > 0 ? count : null;
  }
  if (source.name === 'split_list') {
    const list = argOrDefault(source, 'list');
    const text = typeof list === 'string' ? host.readFile(list) : undefined;
    if (text === undefined) return null;
    let largest = -1;
    for (const line of text.split('\n')) {
      const label = LABEL.exec(line);
      if (label && !line.trimStart().startsWith('#')) largest = Math.max(largest, Number(label[1]));
    }
    return largest >= 0 ? largest + 1 : null;
  }
  return null;
}
