/** Known arguments: every argument is one the call takes, given once, and positional ones do not overflow. */
import { Messages } from '../../../diagnostics/messages.ts';
import { issueRule } from './issue_rule.ts';

export const KnownArgumentsRule = issueRule('KnownArgumentsRule', [
  Messages.UnknownArgument,
  Messages.DuplicateArgument,
  Messages.TooManyArguments,
]);
