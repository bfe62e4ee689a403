/**
 * Hover: the reference documentation of what is under the cursor, rendered by the same functions
 * that write docs/LANGUAGE.md (compiler/spec/reference.ts): a statement keyword's row, a call's
 * section, an argument's row. On a declared name (where declared or used), its declaration and its
 * parameter count from the budget of the last successful compile.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { SourceFile } from '../compiler/ast.ts';
import { anyKeyword, keywordIn } from '../compiler/spec/keywords.ts';
import {
  argumentTableHeader,
  keywordRow,
  keywordTableHeader,
  renderArg,
  renderCall,
} from '../compiler/spec/reference.ts';
import { callSpec } from '../compiler/spec/index.ts';
import type { Plan } from '../plan/plan.ts';
import type { Member, ProgramIndex } from './program.ts';
import { familiesOf, slotAt } from './slots.ts';
import { holds, locate } from './syntax.ts';
import { wordAt } from './words.ts';

export function hover(file: SourceFile, offset: number, program: ProgramIndex, plans: readonly Plan[]): Hover | null {
  const word = wordAt(file.text, offset);
  if (!word) return null;
  const located = locate(file, offset);
  const statement = located.statement;
  const members = program.visibleFrom(located.blocks);
  const show = (lines: readonly string[]): Hover => ({
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
  });

  if (
    statement &&
    statement.kind !== 'Error' &&
    statement.kind !== 'Assignment' &&
    holds(statement.keyword.span, offset)
  ) {
    const spec = keywordIn(located.context, word.name) ?? anyKeyword(word.name);
    return spec ? show([...keywordTableHeader, keywordRow(spec)]) : null;
  }
  const slot = slotAt(located, offset, file.text);
  const arg = slot.call?.node.args.find((a) => a.name && holds(a.name.span, offset));
  if (slot.call && arg) {
    const spec = slot.call.spec.args.find((a) => a.name === arg.name!.name);
    return spec
      ? show([`\`${slot.call.spec.name}(${spec.name}: ...)\``, '', ...argumentTableHeader, renderArg(spec)])
      : null;
  }
  const member = [...members].reverse().find((m) => m.name === word.name);
  const declaredHere = members.find((m) => m.nameSpan.file === file.path && holds(m.nameSpan, offset));
  if (declaredHere ?? member) return show(describeMember((declaredHere ?? member)!, program, plans));
  const families = familiesOf(slot.expected);
  const spec = families.length > 0 ? callSpec(families, word.name) : undefined;
  if (spec) return show(renderCall(spec));
  const top = program.topLevel.get(word.name);
  if (top) return show([`**${top.keyword} ${top.name}**`, '', codeLine(program, top.block.span)]);
  return null;
}

function describeMember(member: Member, program: ProgramIndex, plans: readonly Plan[]): string[] {
  const lines = [`**${member.keyword} ${member.name}**`, '', codeLine(program, member.node.span)];
  const counts = plans
    .filter((p) => p.variant === null)
    .flatMap((plan) => {
      const modules = plan.budget.modules.filter((m) => m.name === member.name || m.name === `${member.name}.keys`);
      const backbone = plan.backbones.find((b) => b.name === member.name);
      if (backbone) return [`${formatCount(backbone.params)} frozen parameters (experiment ${plan.experiment})`];
      if (modules.length === 0) return [];
      const total = modules.reduce((sum, m) => sum + m.params, 0);
      const trained = modules.filter((m) => m.trained).reduce((sum, m) => sum + m.params, 0);
      return [
        `${formatCount(trained)} trainable parameters${trained !== total ? ` of ${formatCount(total)}` : ''} (experiment ${plan.experiment})`,
      ];
    });
  return counts.length > 0 ? [...lines, '', ...counts] : lines;
}

/** The first line of a node's source, as code. */
function codeLine(program: ProgramIndex, span: { file: string; start: number; end: number }): string {
  const text = program.files.get(span.file)?.text ?? '';
  const line = text.slice(span.start, span.end).split('\n')[0] ?? '';
  return `\`\`\`lpt\n${line}\n\`\`\``;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
