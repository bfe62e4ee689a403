/**
 * Writes plan/plan.schema.json from plan/schema.ts, for readers of plans outside
 * TypeScript. A test fails when the committed file is stale.
 *   npx tsx scripts/gen_plan_schema.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { planSchema } from '../plan/schema.ts';

const path = resolve(import.meta.dirname, '../plan/plan.schema.json');
writeFileSync(path, `${JSON.stringify(planSchema, null, 2)}\n`);
console.log(`wrote ${path}`);
