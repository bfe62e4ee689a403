/**
 * Helper for the rules that report problems found while checking values against the spec (the
 * Coercer's issues): each such rule owns a set of message codes and reports the issues that carry
 * them. Ownership is explicit in one table, `issueOwners`: a code owned twice is a startup error,
 * and check() reports an issue whose code no rule owns as an internal error instead of dropping it.
 */
import type { Message } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

const owners = new Map<number, string>();

/** Which rule reports each Coercer issue code. */
export const issueOwners: ReadonlyMap<number, string> = owners;

export function issueRule(name: string, messages: readonly Message[]): Rule {
  for (const m of messages) {
    const owner = owners.get(m.code);
    if (owner !== undefined && owner !== name)
      throw new Error(`diagnostic ${m.code} is owned by both ${owner} and ${name}`);
    owners.set(m.code, name);
  }
  const codes = new Set(messages.map((m) => m.code));
  return (ctx) => ({
    Issue(issue) {
      if (codes.has(issue.message.code)) ctx.report(issue.message, issue.span, issue.args);
    },
  });
}
