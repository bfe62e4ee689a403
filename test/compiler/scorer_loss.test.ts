/** A phase that trains the MoE scorer takes losses on the mixture's log-probabilities only. */
import test from 'ava';
import { codes, compileText, twoExpertSource } from '../helpers/compile_source.ts';

const scorerPhase = (scorerLoss: string, expertLoss = scorerLoss) => twoExpertSource({ scorerLoss, expertLoss });

test('gcl, agcl and matching are refused on the scorer phase only, one diagnostic per term', (t) => {
  const refused = compileText(scorerPhase('ce + gcl + agcl'));
  t.deepEqual(codes(refused), [2091, 2091]);
  t.true(refused.diagnostics.every((d) => d.message.includes("phase 'two'")));
  t.deepEqual(codes(compileText(scorerPhase('ce', 'ce + gcl + agcl'))), []);
  t.true(codes(compileText(scorerPhase('ce - 0.5 * matching', 'ce'))).includes(2091));
});

test('the losses that read log-probabilities fit the scorer phase', (t) => {
  for (const loss of ['balanced_softmax', 'logit_adjust', 'ce', 'focal'])
    t.deepEqual(codes(compileText(scorerPhase(loss))), [], loss);
});
