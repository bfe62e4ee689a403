/**
 * The names a file can see, for completion and go-to-definition: the top-level experiments,
 * presets and ablations of the file and everything it imports, and the members of an
 * experiment (its declarations, phases, data splits and evaluations, its bases' first, as
 * `extends` merges them). Built from the parsed files the compiler loaded.
 */
import type { Block, Declaration, Identifier, NameRef, SourceFile, StringLiteral } from '../compiler/ast.ts';
import { parseFile } from '../compiler/parse_file.ts';
import type { Span } from '../diagnostics/span.ts';

export interface Member {
  /** The keyword that made it: prompt, head, phase, split (a data assignment), evaluate, ... */
  readonly keyword: string;
  readonly name: string;
  readonly nameSpan: Span;
  readonly node: Declaration | Block | { readonly kind: 'Split'; readonly span: Span };
}

export interface TopLevel {
  readonly keyword: string;
  readonly name: string;
  readonly nameSpan: Span;
  readonly block: Block;
}

export class ProgramIndex {
  readonly files = new Map<string, SourceFile>();
  readonly topLevel = new Map<string, TopLevel>();

  /** `sources`: every loaded file by absolute path (the compiler's CompileResult.sources). */
  constructor(sources: ReadonlyMap<string, string>) {
    for (const [path, text] of sources) {
      const ast = parseFile(path, text).ast;
      this.files.set(path, ast);
      for (const statement of ast.statements) {
        if (statement.kind !== 'Block' || !statement.name) continue;
        const name = nameOf(statement.name);
        if (!this.topLevel.has(name))
          this.topLevel.set(name, {
            keyword: statement.keyword.name,
            name,
            nameSpan: statement.name.span,
            block: statement,
          });
      }
    }
  }

  /** The members visible inside `blocks` (outermost first): those of the top-level block. */
  visibleFrom(blocks: readonly Block[]): Member[] {
    return blocks[0] ? this.members(blocks[0]) : [];
  }

  /** Members of an experiment or preset block, bases first; for an ablation, those of its base. */
  members(block: Block, seen = new Set<Block>()): Member[] {
    if (seen.has(block)) return [];
    seen.add(block);
    const connector = block.keyword.name === 'ablation' ? 'of' : 'extends';
    const bases = block.links.filter((l) => l.connector.name === connector).flatMap((l) => l.targets);
    const inherited = bases.flatMap((target) => {
      const base = this.topLevel.get(dotted(target));
      return base ? this.members(base.block, seen) : [];
    });
    return block.keyword.name === 'ablation' ? inherited : [...inherited, ...ownMembers(block)];
  }
}

function ownMembers(block: Block): Member[] {
  const members: Member[] = [];
  for (const statement of block.body) {
    if (statement.kind === 'Declaration') {
      members.push({
        keyword: statement.keyword.name,
        name: dotted(statement.name),
        nameSpan: statement.name.span,
        node: statement,
      });
    } else if (statement.kind === 'Block' && statement.name) {
      members.push({
        keyword: statement.keyword.name,
        name: nameOf(statement.name),
        nameSpan: statement.name.span,
        node: statement,
      });
    } else if (statement.kind === 'Block' && statement.keyword.name === 'data') {
      for (const split of statement.body) {
        if (split.kind !== 'Assignment') continue;
        members.push({
          keyword: 'split',
          name: dotted(split.target),
          nameSpan: split.target.span,
          node: { kind: 'Split', span: split.span },
        });
      }
    }
  }
  return members;
}

export function dotted(ref: NameRef): string {
  return ref.parts.map((p) => p.name).join('.');
}

export function nameOf(name: Identifier | StringLiteral): string {
  return name.kind === 'String' ? name.value : name.name;
}
