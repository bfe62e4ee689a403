/** The fixed file names of an export (docs/RUN_DIRECTORY.md, "Exporting a run"). */
import { join } from 'node:path';

export const TRAINED_FILE = join('weights', 'trained.safetensors');
export const CLASSES_FILE = 'classes.txt';
export const MANIFEST_FILE = 'manifest.json';
