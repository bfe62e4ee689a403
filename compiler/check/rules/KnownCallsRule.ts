/** Known calls: every call names a known source, transform, prompt kind, loss, ... of its position (with a did-you-mean). */
import { Messages } from '../../../diagnostics/messages.ts';
import { issueRule } from './issueRule.ts';

export const KnownCallsRule = issueRule('KnownCallsRule', [Messages.UnknownCallee]);
