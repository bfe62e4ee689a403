/** Loss expressions: a loss is a sum of loss terms, each weighted by numbers or linear(...) schedules. */
import { Messages } from '../../../diagnostics/messages.ts';
import { issueRule } from './issue_rule.ts';

export const LossExpressionRule = issueRule('LossExpressionRule', [Messages.InvalidLossExpression]);
