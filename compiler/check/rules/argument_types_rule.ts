/** Argument types: every value has the type its argument or keyword takes (numbers, names, choices, bounds, percentages). */
import { Messages } from '../../../diagnostics/messages.ts';
import { issueRule } from './issue_rule.ts';

export const ArgumentTypesRule = issueRule('ArgumentTypesRule', [
  Messages.ArgumentType,
  Messages.InvalidChoice,
  Messages.PercentNotAllowed,
  Messages.PercentRequired,
  Messages.WrongStatementShape,
]);
