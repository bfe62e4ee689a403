/**
 * A small typed JSON Schema builder: every fragment carries (as a phantom type) the TypeScript type
 * of the values it accepts, so `SchemaOf<Plan>`-style checks tie a schema to its types at compile
 * time. `assertSchemaType<T>()(schema)` fails to type-check when the schema's type and T differ in
 * either direction (a field missing, extra, or of another type); tsc runs before the tests.
 * The output is plain draft-07 JSON Schema: the phantom field never exists at run time.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- `Schema<any>` is the bound of a generic over schema fragments; no value is ever typed any */
import type { SchemaObject } from 'ajv';

declare const phantom: unique symbol;

/** A schema fragment accepting values of type T. */
export type Schema<T> = SchemaObject & { readonly [phantom]?: (value: T) => T };

/** The type a schema fragment accepts. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

type Props = Record<string, Schema<any>>;
type ObjectOf<P extends Props> = { readonly [K in keyof P]: Infer<P[K]> };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const typed = <T>(schema: SchemaObject): Schema<T> => schema;
/** A number or string fragment with its own keywords (a pattern, other bounds). */
export const typedNumber = (schema: SchemaObject): Schema<number> => typed<number>(schema);
export const typedString = (schema: SchemaObject): Schema<string> => typed<string>(schema);
export const typedNull = typed<null>({ type: 'null' });

export const num = typed<number>({ type: 'number' });
export const nonNegative = typed<number>({ type: 'number', minimum: 0 });
export const positive = typed<number>({ type: 'number', exclusiveMinimum: 0 });
export const count = typed<number>({ type: 'integer', minimum: 0 });
export const positiveInt = typed<number>({ type: 'integer', minimum: 1 });
export const str = typed<string>({ type: 'string' });
export const bool = typed<boolean>({ type: 'boolean' });

export const nullable = <T>(s: Schema<T>): Schema<T | null> => ({ anyOf: [s, { type: 'null' }] });
export const arr = <T>(items: Schema<T>, extra: SchemaObject = {}): Schema<readonly T[]> => ({
  type: 'array',
  items,
  ...extra,
});
export const pair = <T>(items: Schema<T>): Schema<readonly [T, T]> => ({
  type: 'array',
  items,
  minItems: 2,
  maxItems: 2,
});
/** One of the values (a single value is written as `const`). */
export const oneOf = <const V extends readonly string[]>(...values: V): Schema<V[number]> =>
  values.length === 1 ? { const: values[0] } : { type: 'string', enum: values };
export const constant = <const V extends string | number>(value: V): Schema<V> => ({ const: value });
export const record = <T>(values: Schema<T>): Schema<Readonly<Record<string, T>>> => ({
  type: 'object',
  additionalProperties: values,
});
/** Exactly one of the alternatives (JSON Schema `oneOf`). */
export const union = <S extends readonly Schema<any>[]>(...alternatives: S): Schema<Infer<S[number]>> => ({
  oneOf: alternatives,
});
/** At least one of the alternatives (JSON Schema `anyOf`), for overlapping ones such as a string or a list. */
export const either = <S extends readonly Schema<any>[]>(...alternatives: S): Schema<Infer<S[number]>> => ({
  anyOf: alternatives,
});

/** An object with exactly these properties, all required. */
export const obj = <P extends Props>(properties: P): Schema<ObjectOf<P>> => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

/**
 * An object with exactly these properties, where those of `optional` may be absent (a field added
 * to a contract later: files written before it still validate, and plans without it keep their hash).
 */
export const objWithOptional = <P extends Props, O extends Props>(
  properties: P,
  optional: O,
): Schema<ObjectOf<P> & { readonly [K in keyof O]?: Infer<O[K]> }> => ({
  type: 'object',
  properties: { ...properties, ...optional },
  required: Object.keys(properties),
  additionalProperties: false,
});

/** One alternative of a tagged union: `kind` is the tag (one value or several). */
export const kind = <const K extends string, P extends Props>(
  name: K | readonly K[],
  properties: P,
): Schema<{ readonly kind: K } & ObjectOf<P>> =>
  obj({ kind: typeof name === 'string' ? constant(name) : oneOf(...name), ...properties }) as Schema<
    { readonly kind: K } & ObjectOf<P>
  >;

/**
 * Returns the schema unchanged when it accepts exactly T; otherwise the call does not type-check
 * (the argument's type becomes a message naming the mismatch).
 */
export function assertSchemaType<T>() {
  return <S extends Schema<any>>(
    schema: Same<Infer<S>, T> extends true
      ? S
      : { error: 'the schema does not match the type'; schema: Infer<S>; type: T },
  ): Schema<T> => schema as Schema<T>;
}
