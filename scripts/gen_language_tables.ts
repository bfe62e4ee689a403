/**
 * Regenerates the reference tables of docs/LANGUAGE.md (statements, calls with every argument's
 * type and default, diagnostic codes) from the language spec; a test fails when they are stale.
 *   npx tsx scripts/gen_language_tables.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withReference } from '../compiler/spec/reference.ts';

const path = resolve(import.meta.dirname, '../docs/LANGUAGE.md');
writeFileSync(path, withReference(readFileSync(path, 'utf8')));
console.log(`updated ${path}`);
