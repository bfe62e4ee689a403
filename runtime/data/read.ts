/**
 * Reading whole data files: plain or gzip (detected by its magic bytes, so `x.gz` and `x` both
 * work), with errors that name the file.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DataError, reason } from './errors.ts';

export async function readBytes(file: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const problem = code === 'ENOENT' ? 'file not found' : `cannot read (${reason(error)})`;
    throw new DataError('io', file, problem);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new DataError('format', file, `corrupt gzip data (${reason(error)})`);
    }
  }
  return bytes;
}
