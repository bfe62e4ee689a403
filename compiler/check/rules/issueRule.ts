/**
 * Helper for the rules that report problems found while checking values against the spec: each
 * such rule owns a set of message codes and reports the issues that carry them.
 */
import type { Message } from '../../../diagnostics/messages.ts';
import type { Rule } from '../context.ts';

export function issueRule(messages: readonly Message[]): Rule {
  const codes = new Set(messages.map((m) => m.code));
  return (ctx) => ({
    Issue(issue) {
      if (codes.has(issue.message.code)) ctx.report(issue.message, issue.span, issue.args);
    },
  });
}
