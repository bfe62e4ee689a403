/**
 * The plan schema is tied to the Plan type by the type checker (`npm test` runs tsc first): each
 * `@ts-expect-error` below must be an error, or tsc fails on the unused directive. So a schema
 * that misses a field, adds one, or types one differently cannot compile.
 */
import test from 'ava';
import { Ajv } from 'ajv';
import {
  arr,
  assertSchemaType,
  constant,
  count,
  kind,
  nullable,
  obj,
  objWithOptional,
  oneOf,
  str,
  union,
} from '../../plan/typed_schema.ts';

interface Sample {
  readonly name: string;
  readonly size: number | null;
  readonly tags: readonly string[];
  readonly mode: 'a' | 'b';
  readonly note?: string;
}

test('a schema accepting exactly the type type-checks, and a drifting one does not', (t) => {
  const good = assertSchemaType<Sample>()(
    objWithOptional({ name: str, size: nullable(count), tags: arr(str), mode: oneOf('a', 'b') }, { note: str }),
  );
  // @ts-expect-error a field of the type is missing from the schema
  assertSchemaType<Sample>()(objWithOptional({ name: str, size: nullable(count), tags: arr(str) }, { note: str }));
  const drift1 = objWithOptional(
    { name: str, size: nullable(count), tags: arr(str), mode: oneOf('a', 'b'), extra: str },
    { note: str },
  );
  // @ts-expect-error the schema has a field the type lacks
  assertSchemaType<Sample>()(drift1);
  const drift2 = objWithOptional({ name: str, size: count, tags: arr(str), mode: oneOf('a', 'b') }, { note: str });
  // @ts-expect-error a field's type differs (not nullable)
  assertSchemaType<Sample>()(drift2);
  const drift3 = objWithOptional(
    { name: str, size: nullable(count), tags: arr(str), mode: oneOf('a', 'b', 'c') },
    { note: str },
  );
  // @ts-expect-error an enum with a value the type does not allow
  assertSchemaType<Sample>()(drift3);
  const drift4 = obj({ name: str, size: nullable(count), tags: arr(str), mode: oneOf('a', 'b'), note: str });
  // @ts-expect-error an optional field made required
  assertSchemaType<Sample>()(drift4);
  type Tagged = { readonly kind: 'x'; readonly n: number } | { readonly kind: 'y' };
  assertSchemaType<Tagged>()(union(kind('x', { n: count }), kind('y', {})));
  // @ts-expect-error an alternative of the union is missing
  assertSchemaType<Tagged>()(union(kind('x', { n: count })));
  assertSchemaType<{ readonly v: 1 }>()(obj({ v: constant(1) }));

  const validate = new Ajv({ strict: true }).compile(good);
  t.true(validate({ name: 'n', size: null, tags: [], mode: 'a' }));
  t.true(validate({ name: 'n', size: 3, tags: ['x'], mode: 'b', note: 'hi' }));
  t.false(validate({ name: 'n', size: 3, tags: ['x'], mode: 'c' }));
  t.false(validate({ name: 'n', size: 3, tags: ['x'], mode: 'a', other: 1 }));
});
