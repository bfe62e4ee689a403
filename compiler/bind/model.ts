/**
 * The semantic model: what an experiment (or preset, or ablation variant) contains after its
 * `extends` chain and patches are merged. It still holds AST nodes, so every later diagnostic can
 * point at source; the checker reads it, the emitter lowers it to a Plan.
 */
import type {
  Assignment,
  Block,
  Declaration,
  Expression,
  Identifier,
  NameRef,
  Property,
  StringLiteral,
} from '../ast.ts';

/** One seed of a sweep: its value (an AST node, so a bad one is reported where it was written) and its label, `seed=1`. */
export interface SeedValue {
  readonly value: Expression;
  readonly label: string;
}

/** `prompt shared = deep(length: 10) on vit` and the other model declarations. */
export interface DeclEntry {
  readonly keyword: Identifier;
  readonly name: Identifier;
  readonly value: Expression;
  readonly on?: NameRef;
  readonly node: Declaration;
}

/** `train = mnist(split: train) | longtail(ratio: 100)` inside `data { }`. */
export interface SplitEntry {
  readonly name: Identifier;
  readonly value: Expression;
  readonly node: Assignment;
}

/** A phase block after merging: its own properties by keyword (inheritance is resolved by the checker). */
export interface PhaseEntry {
  readonly name: Identifier;
  readonly after: readonly NameRef[];
  readonly props: ReadonlyMap<string, Property>;
  readonly node: Block;
}

/** `evaluate test { ... }`: keyed by the split name. */
export interface EvaluationEntry {
  readonly split: Identifier;
  readonly props: ReadonlyMap<string, Property>;
  readonly node: Block;
}

export interface VariantInfo {
  readonly ablation: string;
  /** The variant's display name, e.g. "VPT" or "top=3". */
  readonly name: string;
  readonly node: Block;
  readonly nameNode: Identifier | StringLiteral;
}

/** The members of a model, read-only. */
export interface ModelMembers {
  readonly settings: ReadonlyMap<string, Property>;
  readonly splits: ReadonlyMap<string, SplitEntry>;
  readonly decls: ReadonlyMap<string, DeclEntry>;
  readonly phases: ReadonlyMap<string, PhaseEntry>;
  readonly evaluations: ReadonlyMap<string, EvaluationEntry>;
  /** Names removed by `drop`, with the statement that removed them. */
  readonly dropped: ReadonlyMap<string, Property>;
}

export interface ExperimentModel extends ModelMembers {
  readonly name: string;
  readonly kind: 'experiment' | 'preset';
  readonly node: Block;
  readonly nameNode: Identifier;
  /** Absolute path of the file declaring the experiment. */
  readonly file: string;
  /** A preset checked on its own: completeness checks and unknown references are skipped. */
  readonly partial: boolean;
  readonly variant?: VariantInfo;
  /** `vary seed = [...]` of an ablation run: compiler/compile.ts makes one model per seed (sweep.ts). */
  readonly seeds?: readonly SeedValue[];
  /** Set on each model of a seed sweep: the row its seeds share (undefined: the experiment's label or name) and `seed=N`. */
  readonly replicate?: { readonly row: string | undefined; readonly seedLabel: string };
  /** The command line's `--set` arguments applied to this model, as written. */
  readonly overrides?: readonly string[];
}

/** The mutable form used while merging; frozen into ExperimentModel by `freezeModel`. */
export interface ModelDraft {
  settings: Map<string, Property>;
  splits: Map<string, SplitEntry>;
  decls: Map<string, DeclEntry>;
  phases: Map<string, PhaseEntry>;
  evaluations: Map<string, EvaluationEntry>;
  dropped: Map<string, Property>;
}

export function emptyDraft(): ModelDraft {
  return {
    settings: new Map(),
    splits: new Map(),
    decls: new Map(),
    phases: new Map(),
    evaluations: new Map(),
    dropped: new Map(),
  };
}

export function copyDraft(d: ModelMembers): ModelDraft {
  return {
    settings: new Map(d.settings),
    splits: new Map(d.splits),
    decls: new Map(d.decls),
    phases: new Map(d.phases),
    evaluations: new Map(d.evaluations),
    dropped: new Map(d.dropped),
  };
}
