/**
 * Typed calls: a checked call carries `settings`, every argument of its spec with the written
 * value or the spec's literal default, typed from the spec table itself (`sgd(...).settings.lr` is
 * a number, `pool(...).settings.combine` is 'mean' | 'concat'). The emitter reads these fields;
 * the rules read `args`, which keep the nodes to point at.
 */
import { familySpecs, type SpecIn } from '../spec/index.ts';
import type { ArgSpec, ArgType, CallSpec, Family } from '../spec/types.ts';
import {
  isCall,
  type ArgValue,
  type BoundValue,
  type CallValue,
  type LayersValue,
  type LimitValue,
  type LossValue,
  type RefValue,
  type ScheduleValue,
  type Value,
} from './values.ts';

/** The checked value of an argument of type T. */
export type ValueOf<T extends ArgType> = T extends { readonly kind: 'int' | 'number' }
  ? number
  : T extends { readonly kind: 'bool' }
    ? boolean
    : T extends { readonly kind: 'string' | 'path' }
      ? string
      : T extends { readonly kind: 'enum'; readonly values: readonly (infer V)[] }
        ? V
        : T extends { readonly kind: 'ref' }
          ? RefValue
          : T extends { readonly kind: 'list'; readonly of: infer O extends ArgType }
            ? readonly ValueOf<O>[]
            : T extends { readonly kind: 'layers' }
              ? LayersValue
              : T extends { readonly kind: 'bound' }
                ? BoundValue
                : T extends { readonly kind: 'limit' }
                  ? LimitValue
                  : T extends { readonly kind: 'schedule' }
                    ? ScheduleValue
                    : T extends { readonly kind: 'call' }
                      ? CallValue
                      : T extends { readonly kind: 'loss' }
                        ? LossValue
                        : T extends { readonly kind: 'oneOf'; readonly of: readonly (infer O extends ArgType)[] }
                          ? ValueOf<O>
                          : never;

/** Present when written, required, or defaulted to a literal; a derived default is left to the emitter. */
type Setting<A extends ArgSpec> = A extends
  { readonly default: { readonly value: unknown } } | { readonly required: true }
  ? ValueOf<A['type']>
  : ValueOf<A['type']> | undefined;

export type SettingsOf<S extends CallSpec> = { readonly [A in S['args'][number] as A['name']]: Setting<A> };

/** A checked call of spec S (distributes over a union of specs: a union tagged by `name`). */
export type TypedCall<S extends CallSpec> = S extends CallSpec
  ? Omit<CallValue, 'name' | 'settings'> & { readonly name: S['name']; readonly settings: SettingsOf<S> }
  : never;

/** A checked call of family F: `CallIn<'optimizer'>` is the sgd call or the adamw call. */
export type CallIn<F extends Family> = TypedCall<SpecIn<F>>;

/** Whether `value` is a call checked against family F (true of every call that Coercer.call made for F). */
export function isCallIn<F extends Family>(value: Value | undefined, family: F): value is CallIn<F> {
  return isCall(value) && familySpecs[family].some((spec: CallSpec) => spec === value.spec);
}

/** Every argument of `spec`: the written value, else its literal default (layers named by a string become a layers value). */
export function settingsOf(spec: CallSpec, args: ReadonlyMap<string, ArgValue>): Record<string, Value | undefined> {
  return Object.fromEntries(spec.args.map((a) => [a.name, args.get(a.name)?.value ?? literalDefault(a)]));
}

export function literalDefault(arg: ArgSpec): Value | undefined {
  if (!arg.default || !('value' in arg.default)) return undefined;
  const v = arg.default.value;
  if (arg.type.kind === 'layers' && typeof v === 'string') return { kind: 'layers', named: layersName(v) };
  return v;
}

function layersName(v: string): LayersValue['named'] {
  if (v === 'all' || v === 'none' || v === 'first_half' || v === 'last_half') return v;
  throw new Error(`the spec's layers default '${v}' is not a named layer set`);
}
