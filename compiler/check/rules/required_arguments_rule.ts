/** Required arguments: calls get the arguments they cannot default (e.g. cifar10's dir). */
import { Messages } from '../../../diagnostics/messages.ts';
import { issueRule } from './issue_rule.ts';

export const RequiredArgumentsRule = issueRule('RequiredArgumentsRule', [Messages.MissingArgument]);
