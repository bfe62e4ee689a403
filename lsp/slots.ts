/**
 * What the language expects at the cursor, from the spec tables (compiler/spec): the keyword
 * spec of the statement, and walking down its value, the type each position takes: a call of a
 * family, an argument of a known call, a loss expression, a reference to a declared name, a
 * choice. Completion offers what fits; hover documents what is there.
 */
import type { Call, Expression } from '../compiler/ast.ts';
import { callSpec, familyList } from '../compiler/spec/index.ts';
import { keywordIn } from '../compiler/spec/keywords.ts';
import type { ArgSpec, ArgType, CallSpec, Family, KeywordSpec } from '../compiler/spec/types.ts';
import { holds, type Located } from './syntax.ts';

export interface Slot {
  /** The spec of the statement's keyword. */
  readonly keyword?: KeywordSpec;
  /** The type of the innermost position at the cursor. */
  readonly expected?: ArgType;
  /** The innermost call around the cursor (its spec), and whether the cursor is in its parentheses. */
  readonly call?: { readonly node: Call; readonly spec: CallSpec; readonly inParens: boolean };
  /** The argument of `call` whose value or name holds the cursor. */
  readonly argument?: ArgSpec;
  /** The cursor is on an argument's name, or where a new argument starts. */
  readonly argumentName: boolean;
}

const dataStages: readonly Family[] = ['subsample', 'transform'];

/** The statement's value type: a declaration's family, a property's value, a data split's pipeline. */
export function statementType(located: Located): { keyword?: KeywordSpec; type?: ArgType } {
  const statement = located.statement;
  if (!statement) return {};
  if (statement.kind === 'Assignment')
    return located.context === 'data' ? { type: { kind: 'call', family: 'source' } } : {};
  if (statement.kind === 'Error') return {};
  const keyword = keywordIn(located.context, statement.keyword.name);
  return keyword?.value ? { keyword, type: keyword.value } : keyword ? { keyword } : {};
}

export function slotAt(located: Located, offset: number, text: string): Slot {
  const { keyword, type } = statementType(located);
  let expected = type;
  let call: Slot['call'];
  let argument: ArgSpec | undefined;
  let argumentName = false;
  const path = located.path;
  const statement = located.statement;
  // `train = mnist | |`: a stage not typed yet is no node of the pipeline.
  if (
    statement?.kind === 'Assignment' &&
    located.context === 'data' &&
    (path[0]?.kind ?? 'Error') === 'Error' &&
    text.slice(statement.target.span.end, offset).includes('|')
  ) {
    expected = { kind: 'call', family: dataStages };
  }
  path.forEach((e, i) => {
    const child = path[i + 1];
    if (e.kind === 'Pipe' && child && expected?.kind === 'call' && familyList(expected.family).includes('source')) {
      if (e.stages.indexOf(child) > 0) expected = { kind: 'call', family: dataStages };
    } else if (e.kind === 'Binary' && e.op === '*' && child === e.left && expected?.kind === 'loss') {
      expected = { kind: 'oneOf', of: [{ kind: 'loss' }, { kind: 'schedule' }] };
    } else if (e.kind === 'List' && expected?.kind === 'list') {
      expected = expected.of;
    } else if (e.kind === 'Call') {
      const spec = callSpec(familiesOf(expected), e.callee.parts.map((p) => p.name).join('.'));
      const inParens = offset > e.callee.span.end && text.slice(e.callee.span.end, offset).includes('(');
      if (!spec || !inParens) return;
      call = { node: e, spec, inParens };
      // The argument at the cursor, or the one it continues (`head: |` before its value is typed).
      const arg =
        e.args.find((a) => holds(a.span, offset)) ??
        [...e.args].reverse().find((a) => a.span.end <= offset && !text.slice(a.span.end, offset).includes(','));
      const index = arg ? e.args.indexOf(arg) : -1;
      argument = arg ? (arg.name ? spec.args.find((a) => a.name === arg.name!.name) : spec.args[index]) : undefined;
      argumentName =
        !arg ||
        (arg.name !== undefined && holds(arg.name.span, offset)) ||
        (arg.name === undefined && isBareName(arg.value) && holds(arg.span, offset));
      expected = argument?.type;
    }
  });
  return {
    ...(keyword ? { keyword } : {}),
    ...(expected ? { expected } : {}),
    ...(call ? { call } : {}),
    ...(argument ? { argument } : {}),
    argumentName,
  };
}

/** The families a type accepts calls of (a bare name is a call without arguments). */
export function familiesOf(type: ArgType | undefined): Family[] {
  if (!type) return [];
  switch (type.kind) {
    case 'call':
      return [...familyList(type.family)];
    case 'loss':
      return ['loss', 'weight'];
    case 'schedule':
      return ['weight'];
    case 'list':
      return familiesOf(type.of);
    case 'oneOf':
      return type.of.flatMap(familiesOf);
    default:
      return [];
  }
}

function isBareName(e: Expression): boolean {
  return e.kind === 'NameRef' && e.parts.length === 1;
}
