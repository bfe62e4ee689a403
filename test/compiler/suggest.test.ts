/** Did-you-mean: edit distance with transpositions, offered only for plausible misspellings. */
import test from 'ava';
import { closest, didYouMean, editDistance } from '../../compiler/suggest.ts';

test('edit distance counts insertions, deletions, substitutions and transpositions', (t) => {
  t.is(editDistance('deep', 'deep'), 0);
  t.is(editDistance('promt', 'prompt'), 1);
  t.is(editDistance('lenght', 'length'), 1);
  t.is(editDistance('agc', 'agcl'), 1);
  t.is(editDistance('abc', 'xyz'), 3);
});

test('closest picks the nearest candidate within a third of the length', (t) => {
  t.is(closest('sharde', ['shared', 'group', 'cls']), 'shared');
  t.is(closest('xyz', ['shared', 'group']), undefined);
  t.is(closest('Adapter', ['adapter']), 'adapter');
  t.is(didYouMean('meen', ['mean', 'concat']), " Did you mean 'mean'?");
  t.is(didYouMean('zzz', ['mean']), '');
});
