/**
 * Classifying one statement against the keyword spec of its context: known keyword in the right
 * form, misplaced keyword (known elsewhere), wrong form, or unknown keyword with a did-you-mean.
 */
import type { Block, Declaration, Property } from '../ast.ts';
import type { DiagnosticBag } from '../../diagnostics/diagnose.ts';
import { Messages } from '../../diagnostics/messages.ts';
import { anyKeyword, contextNames, keywordIn, keywordsIn } from '../spec/keywords.ts';
import type { Context, KeywordSpec, StatementForm } from '../spec/types.ts';
import { didYouMean } from '../suggest.ts';

export type KeywordStatement = Block | Declaration | Property;

const formOf: Readonly<Record<KeywordStatement['kind'], StatementForm>> = {
  Block: 'block',
  Declaration: 'declaration',
  Property: 'property',
};

/** The keyword's spec when the statement is valid in `context`; otherwise reports and returns undefined. */
export function classify(statement: KeywordStatement, context: Context, bag: DiagnosticBag): KeywordSpec | undefined {
  const keyword = statement.keyword;
  const spec = keywordIn(context, keyword.name);
  if (!spec) {
    const elsewhere = anyKeyword(keyword.name);
    if (keyword.name === 'import') bag.report(Messages.ImportNotAtTop, statement.span);
    else if (elsewhere) {
      const homes = elsewhere.contexts.map((c) => contextNames[c]).join(' or ');
      bag.report(Messages.MisplacedStatement, keyword.span, [keyword.name, contextNames[context], homes]);
    } else
      bag.report(Messages.UnknownKeyword, keyword.span, [
        keyword.name,
        contextNames[context],
        didYouMean(keyword.name, keywordsIn(context)),
      ]);
    return undefined;
  }
  if (spec.form !== formOf[statement.kind]) {
    bag.report(Messages.WrongStatementShape, keyword.span, [keyword.name, describeForm(spec.form), spec.example]);
    return undefined;
  }
  return spec;
}

function describeForm(form: StatementForm): string {
  switch (form) {
    case 'block':
      return 'a block';
    case 'declaration':
      return 'a declaration';
    case 'property':
      return 'a property';
  }
}
