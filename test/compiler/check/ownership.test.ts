/**
 * Every diagnostic code has exactly one owner: the grammar for 1xxx, the check rule that reports
 * it, the binder, the compiler driver or the runtime capability check. Owners are found by
 * scanning the sources for `Messages.Name`; the Coercer's issues are owned through the explicit
 * `issueOwners` table, and an issue no rule owns becomes an internal error, never silence.
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { issueOwners } from '../../../compiler/check/rules/issue_rule.ts';
import '../../../compiler/check/rules/index.ts'; // registers every rule's codes in issueOwners
import { allMessages } from '../../../diagnostics/messages.ts';

const root = resolve(import.meta.dirname, '../../..');
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );

/** The values checker (Coercer and its helpers): its codes reach the user only through issueOwners. */
const issueProducers = new Set([
  'compiler/check/coerce.ts',
  'compiler/check/loss_expression.ts',
  'compiler/check/typed.ts',
]);
/** Places that only mention a message (the catalogue itself, the docs table, the ownership machinery, diagnostic plumbing). */
const notOwners = new Set([
  'diagnostics/messages.ts',
  'compiler/spec/reference.ts',
  'compiler/check/check.ts',
  'compiler/compile.ts',
  'cli/commands/print_diagnostics.ts',
]);

/** The owner of a source file: the binder stage as a whole, or the file (a rule, the grammar, ...). */
function ownerOf(file: string): string {
  if (file.startsWith('compiler/bind/') || file.startsWith('compiler/program/')) return 'binder';
  const rule = /^compiler\/check\/rules\/(\w+)_rule\.ts$/.exec(file);
  return rule ? rule[1]!.replace(/(^|_)(\w)/g, (_, _sep, c: string) => c.toUpperCase()) + 'Rule' : file;
}

/**
 * The codes that several stages report, each for its own case, written out so that a new shared
 * code is a decision, not an accident.
 */
const shared: Record<string, readonly string[]> = {
  UnknownName: ['binder', 'EvaluationRule', 'KnownReferencesRule', 'PhaseSplitRule', 'ScorerCalibrationRule'],
  WrongStatementShape: ['ArgumentTypesRule', 'binder'],
  ModelUndetermined: ['EvaluationRule', 'ModelStructureRule'],
};

function owners(): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  for (const file of [...sources('grammar'), ...sources('compiler'), ...sources('diagnostics'), ...sources('cli')].map(
    (f) => relative(root, join(root, f)),
  )) {
    if (notOwners.has(file) || issueProducers.has(file)) continue;
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/Messages\.(\w+)/g)) {
      const set = byName.get(m[1]!) ?? new Set<string>();
      set.add(ownerOf(file));
      byName.set(m[1]!, set);
    }
  }
  return byName;
}

/** Codes with a reporter outside the sources' rule files: the compiler driver reports these. */
const driverCodes = new Set([2061, 3001, 4001, 5001]);

test('every diagnostic code has exactly one owner', (t) => {
  const found = owners();
  const problems: string[] = [];
  for (const m of allMessages()) {
    const issueOwner = issueOwners.get(m.code);
    const all = [...new Set([...(found.get(m.name) ?? []), ...(issueOwner ? [issueOwner] : [])])].sort();
    if (driverCodes.has(m.code) && all.length <= 1) continue;
    if (shared[m.name]) {
      if (all.join() !== [...shared[m.name]!].sort().join())
        problems.push(`${m.code} ${m.name}: shared by ${all.join(', ')}, the table says ${shared[m.name]!.join(', ')}`);
    } else if (all.length !== 1)
      problems.push(`${m.code} ${m.name}: ${all.length === 0 ? 'no owner' : all.join(', ')}`);
  }
  t.deepEqual(problems, []);
});

test('every code the values checker can raise is in the ownership table', (t) => {
  const raised = new Set<string>();
  for (const file of issueProducers)
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(/Messages\.(\w+)/g)) raised.add(m[1]!);
  const unowned = allMessages()
    .filter((m) => raised.has(m.name) && !issueOwners.has(m.code) && !owners().has(m.name))
    .map((m) => `${m.code} ${m.name}`);
  t.deepEqual(unowned, []);
});

test('the ownership table refuses a second owner for a code', async (t) => {
  const { issueRule } = await import('../../../compiler/check/rules/issue_rule.ts');
  const { Messages } = await import('../../../diagnostics/messages.ts');
  t.throws(() => issueRule('SomeOtherRule', [Messages.UnknownCallee]), {
    message: /owned by both KnownCallsRule and SomeOtherRule/,
  });
  t.is(issueOwners.get(Messages.UnknownCallee.code), 'KnownCallsRule');
});
