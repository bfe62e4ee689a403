/** Known calls: every call names a known source, transform, prompt kind, loss, ... of its position (with a did-you-mean). */
import { Messages } from '../../../diagnostics/messages.ts';
import { issueRule } from './issue_rule.ts';

export const KnownCallsRule = issueRule('KnownCallsRule', [Messages.UnknownCallee]);
