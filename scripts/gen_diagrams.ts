/**
 * Regenerates docs/diagrams/grammar.html, railroad diagrams of every grammar rule (Chevrotain's
 * createSyntaxDiagramsCode). Run `npm run gen:diagrams` after changing grammar/parser.ts and
 * commit the result; test/grammar/generated.test.ts fails when it is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagramsHtml } from '../grammar/generated.ts';

const target = fileURLToPath(new URL('../docs/diagrams/grammar.html', import.meta.url));
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, diagramsHtml());
console.log(`wrote ${target}`);
