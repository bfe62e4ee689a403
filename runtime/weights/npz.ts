/**
 * NumPy .npz: a zip archive of .npy members (`np.savez` stores them, `np.savez_compressed`
 * deflates them; NumPy forces zip64 headers). Member "a/b.npy" becomes tensor "a/b".
 * Unzipping is fflate's; each member is parsed by npy.ts.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { WeightsError } from './errors.ts';
import { readBytes, writeBytesAtomic } from './files.ts';
import { encodeNpy, parseNpy } from './npy.ts';
import type { NamedTensors } from './tensor.ts';

export function readNpz(path: string): NamedTensors {
  return parseNpz(readBytes(path), path);
}

export function writeNpz(path: string, tensors: NamedTensors): void {
  writeBytesAtomic(path, encodeNpz(tensors, path));
}

export function parseNpz(bytes: Uint8Array, file: string): NamedTensors {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (error) {
    throw new WeightsError('format', file, `not a readable .npz (zip) archive (${(error as Error).message})`);
  }
  const tensors: NamedTensors = new Map();
  for (const [member, data] of Object.entries(members)) {
    if (member.endsWith('/')) continue; // a directory entry
    const name = member.endsWith('.npy') ? member.slice(0, -4) : member;
    tensors.set(name, parseNpy(data, file, name));
  }
  return tensors;
}

/** Uncompressed members, like `np.savez`. */
export function encodeNpz(tensors: NamedTensors, file: string): Uint8Array {
  const members: Zippable = {};
  for (const [name, tensor] of tensors) members[`${name}.npy`] = [encodeNpy(tensor, file, name), { level: 0 }];
  return zipSync(members);
}
