/**
 * Look-ups over a typed model shared by the rules and the emitter: what kind a name is, which
 * backbone a module sits on, the experts (declared, or the one implicit expert), arguments with
 * their spec defaults, and layer sets resolved against a depth.
 */
import type { TypedDecl, TypedModel } from './typed.ts';
import { isRef, type CallValue, type LayersValue, type RefValue, type Value } from './values.ts';

export type NameKind = 'backbone' | 'deep_prompt' | 'pool' | 'adapter' | 'head' | 'expert' | 'scorer';

export interface ExpertInfo {
  readonly name: string;
  readonly backbone?: string;
  readonly modules: readonly RefValue[];
  readonly head?: string;
  /** Declared with `expert NAME = expert(...)`, or the implicit single expert. */
  readonly decl?: TypedDecl;
}

/** The implicit expert's name when the experiment declares none. */
export const implicitExpertName = 'model';

export class ModelIndex {
  constructor(readonly typed: TypedModel) {}

  decl(name: string): TypedDecl | undefined {
    return this.typed.decls.get(name);
  }

  kindOf(name: string): NameKind | undefined {
    const decl = this.decl(name);
    if (!decl) return undefined;
    if (decl.keyword === 'prompt') return decl.call?.name === 'pool' ? 'pool' : 'deep_prompt';
    return decl.keyword;
  }

  declsOf(keyword: TypedDecl['keyword']): TypedDecl[] {
    return [...this.typed.decls.values()].filter((d) => d.keyword === keyword);
  }

  /** The backbone a prompt or adapter is attached to: `on NAME`, or the only backbone. */
  backboneOf(decl: TypedDecl): string | undefined {
    if (decl.on) return decl.on.name;
    const backbones = this.declsOf('backbone');
    return backbones.length === 1 ? backbones[0]!.name : undefined;
  }

  experts(): ExpertInfo[] {
    const declared = this.declsOf('expert');
    if (declared.length > 0) {
      return declared.map((decl) => {
        const backbone = refArg(decl.call, 'backbone');
        const head = refArg(decl.call, 'head');
        const modules = decl.call?.args.get('modules')?.value;
        return {
          name: decl.name,
          decl,
          modules: Array.isArray(modules) ? modules.filter(isRef) : [],
          ...(backbone ? { backbone } : {}),
          ...(head ? { head } : {}),
        };
      });
    }
    const backbones = this.declsOf('backbone');
    const heads = this.declsOf('head');
    if (backbones.length !== 1) return [];
    const backbone = backbones[0]!.name;
    const modules = [...this.declsOf('prompt'), ...this.declsOf('adapter')]
      .filter((d) => this.backboneOf(d) === backbone)
      .map((d): RefValue => ({
        kind: 'ref',
        name: d.name,
        to: 'module',
        node: { kind: 'NameRef', parts: [d.entry.name], span: d.entry.name.span },
      }));
    return [{ name: implicitExpertName, backbone, modules, ...(heads.length === 1 ? { head: heads[0]!.name } : {}) }];
  }

  scorer(): TypedDecl | undefined {
    return this.declsOf('scorer')[0];
  }

  /** Backbone depth, for layer checks (the spec default when not written). */
  depth(backbone: string): number | undefined {
    const call = this.decl(backbone)?.call;
    if (!call) return undefined;
    const depth = argOrDefault(call, 'depth');
    return typeof depth === 'number' ? depth : undefined;
  }
}

function refArg(call: CallValue | undefined, name: string): string | undefined {
  const v = call?.args.get(name)?.value;
  return isRef(v) ? v.name : undefined;
}

/** The written argument, or the spec's literal default (undefined for derived defaults). */
export function argOrDefault(call: CallValue, name: string): Value | undefined {
  return call.settings[name];
}

export function numberArg(call: CallValue, name: string): number | undefined {
  const v = argOrDefault(call, name);
  return typeof v === 'number' ? v : undefined;
}

export function stringArg(call: CallValue, name: string): string | undefined {
  const v = argOrDefault(call, name);
  return typeof v === 'string' ? v : undefined;
}

/** 1-based block indices of a layers value for a backbone of `depth` blocks. */
export function resolveLayers(value: Value | undefined, depth: number): number[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as LayersValue).kind !== 'layers')
    return [];
  const layers = value as LayersValue;
  const range = (from: number, to: number): number[] =>
    Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  switch (layers.named) {
    case 'all':
      return range(1, depth);
    case 'none':
      return [];
    case 'first_half':
      return range(1, Math.floor(depth / 2));
    case 'last_half':
      return range(Math.floor(depth / 2) + 1, depth);
    default:
      return [...(layers.list ?? [])];
  }
}
