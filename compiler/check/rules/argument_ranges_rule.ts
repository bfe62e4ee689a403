/** Argument ranges: numbers lie in their argument's domain (e.g. longtail ratio > 1, top >= 1) and ranges run forwards. */
import { Messages } from '../../../diagnostics/messages.ts';
import { issueRule } from './issue_rule.ts';

export const ArgumentRangesRule = issueRule('ArgumentRangesRule', [Messages.ValueOutOfRange, Messages.RangeReversed]);
