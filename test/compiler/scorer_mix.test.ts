/** `moe(..., mix: ...)`: probabilities by default (no plan entry, so plans keep their hashes), or logits. */
import test from 'ava';
import { codes, compileText, twoExpertSource } from '../helpers/compile_source.ts';

const withScorer = (scorerArgs: string) => twoExpertSource({ scorerArgs });

test('mix: logits is written into the plan; the default leaves the plan as before', (t) => {
  const byDefault = compileText(withScorer(''));
  const probabilities = compileText(withScorer(', mix: probabilities'));
  const logits = compileText(withScorer(', mix: logits'));
  t.deepEqual([...codes(byDefault), ...codes(probabilities), ...codes(logits)], []);
  t.false('mix' in byDefault.plans[0]!.modules.scorer!);
  t.is(probabilities.plans[0]!.hash, byDefault.plans[0]!.hash);
  t.is(logits.plans[0]!.modules.scorer!.mix, 'logits');
  t.deepEqual(codes(compileText(withScorer(', mix: logit'))), [2019]);
});
