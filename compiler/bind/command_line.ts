/**
 * The command line's part of a program: `--set KEY=VALUE` overrides and `--seeds 0,1,2`, read
 * with the language's own grammar from one virtual source, `<command line>`, whose text is the
 * arguments as typed (`--set phase.one.epochs=2 --seeds 0,1`). Each argument is parsed where it
 * stands in that line (the text before it blanked out, which the lexer skips), so a diagnostic
 * about it shows the command line with a caret under the bad part, like one about a file.
 */
import type { NameRef, NumberLiteral } from '../ast.ts';
import type { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import { Messages } from '../../diagnostics/messages.ts';
import { parseFile } from '../parse_file.ts';
import type { Override } from './layer.ts';
import type { SeedValue } from './model.ts';

/** What the command line adds to a compilation; `lpt run`, `check` and `compile` pass it. */
export interface CommandLine {
  /** `--set KEY=VALUE` arguments, in order (KEY as in an ablation: `one.epochs`, `group.top`, `seed`; `phase.one.epochs` also works). */
  readonly set?: readonly string[];
  /** The `--seeds` argument: whole numbers separated by commas. */
  readonly seeds?: string;
}

/** The virtual file name of the command line in diagnostics. */
export const COMMAND_LINE_FILE = '<command line>';

export interface CommandLineOverride {
  /** The argument as written, recorded in the plan. */
  readonly text: string;
  readonly override: Override;
}

export interface ParsedCommandLine {
  /** The text of the virtual source (for printing diagnostics); empty without arguments. */
  readonly text: string;
  readonly overrides: readonly CommandLineOverride[];
  /** Undefined without `--seeds`. */
  readonly seeds: readonly SeedValue[] | undefined;
}

export function parseCommandLine(
  commandLine: CommandLine,
  bag: Pick<DiagnosticBag, 'add' | 'report'>,
): ParsedCommandLine {
  const args = [
    ...(commandLine.set ?? []).map((value) => ({ flag: '--set', value })),
    ...(commandLine.seeds !== undefined ? [{ flag: '--seeds', value: commandLine.seeds }] : []),
  ];
  let text = '';
  const at: number[] = [];
  for (const { flag, value } of args) {
    text += `${text ? ' ' : ''}${flag} `;
    at.push(text.length);
    text += value;
  }
  const overrides: CommandLineOverride[] = [];
  let seeds: SeedValue[] | undefined;
  args.forEach(({ flag, value }, i) => {
    const start = at[i]!;
    if (flag === '--set') {
      const override = readOverride(start, value, bag);
      if (override) overrides.push({ text: value.trim(), override });
    } else seeds = readSeeds(start, value, bag);
  });
  if (seeds === undefined) return { text, overrides, seeds };
  // `--set seed=N` and `--seeds` would both set the seed: refused rather than one silently losing.
  const seedsSpan = { file: COMMAND_LINE_FILE, start: at.at(-1)!, end: text.length };
  const isSeed = (o: CommandLineOverride) => isSeedTarget(o.override.target);
  for (const o of overrides.filter(isSeed))
    bag.report(
      Messages.DuplicateName,
      o.override.target.span,
      ['setting', 'seed'],
      [{ message: 'the seeds are given by --seeds here', span: seedsSpan }],
    );
  return { text, overrides: overrides.filter((o) => !isSeed(o)), seeds };
}

function readOverride(start: number, value: string, bag: Pick<DiagnosticBag, 'add' | 'report'>): Override | undefined {
  const span = { file: COMMAND_LINE_FILE, start: Math.max(0, start - '--set '.length), end: start + value.length };
  const wrongShape = () =>
    bag.report(Messages.WrongStatementShape, span, ['--set', 'KEY=VALUE, one per --set', '--set one.epochs=2']);
  if (!value.includes('=')) return void wrongShape();
  const parsed = parseFile(COMMAND_LINE_FILE, ' '.repeat(start) + value);
  for (const d of parsed.diagnostics) bag.add(d);
  if (parsed.diagnostics.length > 0) return undefined;
  const [statement, ...extra] = parsed.ast.statements;
  if (statement?.kind !== 'Assignment' || extra.length > 0) return void wrongShape();
  const [head, ...rest] = statement.target.parts;
  // `phase.one.epochs` reads as the ablation form `one.epochs` (phase names are plain names).
  const target =
    head?.name === 'phase' && rest.length >= 2
      ? { ...statement.target, parts: rest, span: { ...statement.target.span, start: rest[0]!.span.start } }
      : statement.target;
  return { target, value: statement.value, span: statement.span };
}

function readSeeds(start: number, value: string, bag: Pick<DiagnosticBag, 'report'>): SeedValue[] {
  const seeds: SeedValue[] = [];
  const first = new Map<number, NumberLiteral>();
  let offset = start;
  for (const item of value.split(',')) {
    const lead = item.length - item.trimStart().length;
    const raw = item.trim();
    const span = { file: COMMAND_LINE_FILE, start: offset + lead, end: offset + lead + raw.length };
    offset += item.length + 1;
    if (!/^\d+$/.test(raw)) {
      bag.report(Messages.WrongStatementShape, span, ['--seeds', 'whole numbers separated by commas', '--seeds 0,1,2']);
      continue;
    }
    const literal: NumberLiteral = { kind: 'Number', value: Number(raw), raw, span };
    const earlier = first.get(literal.value);
    if (earlier) {
      bag.report(Messages.DuplicateName, span, ['seed', raw], [{ message: 'first given here', span: earlier.span }]);
      continue;
    }
    first.set(literal.value, literal);
    seeds.push({ value: literal, label: `seed=${raw}` });
  }
  return seeds;
}

/** `seed` alone, the target that `--seeds` and seed lists set. */
export function isSeedTarget(target: NameRef): boolean {
  return target.parts.length === 1 && target.parts[0]!.name === 'seed';
}
