/**
 * Regenerates grammar/cst.d.ts, the TypeScript types of the parser's concrete syntax tree, from
 * the grammar itself (Chevrotain's generateCstDts). Run `npm run gen:cst` after changing
 * grammar/parser.ts and commit the result; test/grammar/generated.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cstDtsSource } from '../grammar/generated.ts';

const target = fileURLToPath(new URL('../grammar/cst.d.ts', import.meta.url));
writeFileSync(target, cstDtsSource());
console.log(`wrote ${target}`);
