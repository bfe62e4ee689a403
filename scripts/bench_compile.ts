/**
 * Compile-speed benchmark (not a timed test): the median wall time of compiling each experiment
 * file (parsing, every variant, checks, budgets, hashes and schema validation), after warm-up.
 *   npx tsx scripts/bench_compile.ts [FILE...] [--runs N]
 * Without files: every experiments/*.lpt. Aim: under 50 ms for the largest.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeCompilerHost } from '../compiler/node_host.ts';
import { compile } from '../compiler/compile.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '30' } },
});
const runs = Math.max(1, Number(values.runs));
const files =
  positionals.length > 0
    ? positionals.map((p) => resolve(p))
    : readdirSync(resolve('experiments'))
        .filter((f) => f.endsWith('.lpt'))
        .sort()
        .map((f) => join(resolve('experiments'), f));
const host = nodeCompilerHost();

for (const file of files) {
  for (let i = 0; i < 5; i++) compile(file, host); // warm-up: module loading, ajv, JIT
  const times: number[] = [];
  let plans = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    plans = compile(file, host).plans.length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const name = relative(process.cwd(), file);
  console.log(
    `${name.padEnd(36)} ${String(plans).padStart(3)} plans  median ${median.toFixed(1).padStart(6)} ms  (min ${times[0]!.toFixed(1)}, max ${times[times.length - 1]!.toFixed(1)}, ${runs} runs)`,
  );
}
