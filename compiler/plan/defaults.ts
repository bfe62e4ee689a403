/**
 * Typed default calls for properties left out (`optim` defaults to sgd() with all its defaults,
 * `sample` to instance, ...), built through the same coercion as written calls.
 */
import type { NameRef } from '../ast.ts';
import { Coercer } from '../check/coerce.ts';
import type { CallValue } from '../check/values.ts';
import type { Family } from '../spec/types.ts';

const nowhere = { file: '', start: 0, end: 0 };

export function defaultCall(family: Family, name: string): CallValue {
  const ref: NameRef = { kind: 'NameRef', parts: [{ kind: 'Identifier', name, span: nowhere }], span: nowhere };
  const call = new Coercer().call(ref, family);
  if (!call) throw new Error(`no default ${family} '${name}' in the spec`);
  return call;
}
