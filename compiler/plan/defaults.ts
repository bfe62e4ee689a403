/**
 * Typed default calls for properties left out (`optim` defaults to sgd() with all its defaults,
 * `sample` to instance, ...), built through the same coercion as written calls.
 */
import type { NameRef } from '../ast.ts';
import { Coercer } from '../check/coerce.ts';
import type { CallIn } from '../check/typed_call.ts';
import { isSchedule, type ScheduleValue, type Value } from '../check/values.ts';
import { parseFile } from '../parse_file.ts';
import { callSpec } from '../spec/index.ts';
import type { Family } from '../spec/types.ts';

const nowhere = { file: '', start: 0, end: 0 };

export function defaultCall<F extends Family>(family: F, name: string): CallIn<F> {
  const ref: NameRef = { kind: 'NameRef', parts: [{ kind: 'Identifier', name, span: nowhere }], span: nowhere };
  const call = new Coercer().call(ref, family);
  if (!call) throw new Error(`no default ${family} '${name}' in the spec`);
  return call;
}

/**
 * An argument default the spec writes as source text (`derived('linear(from: 0.5, to: 0)')`, which
 * the docs show as is), parsed and coerced exactly like a written argument, so docs and plans
 * cannot diverge.
 */
export function sourceDefault(family: Family, callName: string, argName: string): Value {
  const arg = callSpec(family, callName)?.args.find((a) => a.name === argName);
  const text = arg?.default && 'derived' in arg.default ? arg.default.derived : undefined;
  if (arg === undefined || text === undefined)
    throw new Error(`the spec writes no default for ${callName}(${argName})`);
  const { ast, diagnostics } = parseFile('<spec>', `${argName} = ${text}`);
  const statement = ast.statements[0];
  const coercer = new Coercer();
  const value =
    statement?.kind === 'Assignment' && diagnostics.length === 0
      ? coercer.coerce(statement.value, arg.type, argName)
      : undefined;
  if (value === undefined || coercer.issues.length > 0)
    throw new Error(`the spec's default for ${callName}(${argName}) is not a valid value: ${text}`);
  return value;
}

/** A loss-weight default written as source text (`dual(weight: ...)`). */
export function scheduleDefault(family: Family, callName: string, argName: string): ScheduleValue {
  const value = sourceDefault(family, callName, argName);
  if (!isSchedule(value)) throw new Error(`the spec's default for ${callName}(${argName}) is not a loss weight`);
  return value;
}
