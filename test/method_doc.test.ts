/**
 * docs/METHOD.md quotes defaults as calls, `pool(size: 20, length: 10, top: 2)`: every argument it
 * writes must be the default of compiler/spec/, so the page cannot drift from the code.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { argSpec, callSpecs } from '../compiler/spec/index.ts';
import type { CallSpec, DefaultValue } from '../compiler/spec/types.ts';
import { ROOT } from './helpers/import_graph.ts';

/** `name(a: 1, b: f(x: 2))` -> [['a', '1'], ['b', 'f(x: 2)']]; arguments written without a value are left out. */
function writtenArguments(args: string): [string, string][] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= args.length; i++) {
    const c = args[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if ((c === ',' && depth === 0) || i === args.length) {
      parts.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  return parts
    .filter((part) => part.includes(':'))
    .map((part): [string, string] => [part.slice(0, part.indexOf(':')), part.slice(part.indexOf(':') + 1).trim()])
    .filter(([, value]) => value !== '');
}

/** Whether `written` is the default `d` as a .lpt file would write it. */
function isDefault(written: string, d: DefaultValue): boolean {
  if ('derived' in d) return d.derived.split(' (')[0] === written;
  const v = d.value;
  if (typeof v === 'number') return Number(written) === v;
  if (Array.isArray(v)) return written === `[${v.join(', ')}]`;
  return written === String(v);
}

/** The arguments of `call` that no spec of that name has as its default (every one, if no spec has the name). */
function notDefaults(name: string, args: string, specs: readonly CallSpec[] = callSpecs): string[] {
  const written = writtenArguments(args);
  const wrong = specs
    .filter((spec) => spec.name === name)
    .map((spec) =>
      written.filter(([arg, value]) => {
        const d = argSpec(spec, arg)?.default;
        return d === undefined || !isDefault(value, d);
      }),
    );
  const best = wrong.sort((a, b) => a.length - b.length)[0] ?? written;
  return best.map(([arg, value]) => `${name}(${arg}: ${value})`);
}

test('every default docs/METHOD.md writes as a call is the spec default', (t) => {
  const text = readFileSync(join(ROOT, 'docs/METHOD.md'), 'utf8');
  const calls = [...text.matchAll(/`(\w+)\(([^`]*)\)`/g)].filter((m) => m[2] !== '...');
  t.true(calls.length >= 10, 'the page quotes its defaults as calls');
  t.deepEqual(
    calls.flatMap((m) => notDefaults(m[1]!, m[2]!)),
    [],
  );
});

test('the check reads nested calls and lists, and catches a wrong or unknown default', (t) => {
  t.deepEqual(writtenArguments('per_class: 4, weight: linear(from: 0.5, to: 0), betas: [0.9, 0.999], head:'), [
    ['per_class', '4'],
    ['weight', 'linear(from: 0.5, to: 0)'],
    ['betas', '[0.9, 0.999]'],
  ]);
  t.deepEqual(notDefaults('dual', 'per_class: 4, weight: linear(from: 0.5, to: 0)'), []);
  t.deepEqual(notDefaults('cosine', 'warmup: 1, warmup_from: 1e-6'), [], 'the schedule, not the head');
  t.deepEqual(notDefaults('pool', 'size: 10, top: 2'), ['pool(size: 10)']);
  t.deepEqual(notDefaults('pool', 'depth: 2'), ['pool(depth: 2)']);
  t.deepEqual(notDefaults('nothing', 'a: 1'), ['nothing(a: 1)']);
});
