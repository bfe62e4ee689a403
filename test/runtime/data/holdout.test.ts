import test from 'ava';
import { holdOutIndices } from '../../../runtime/data/holdout.ts';

const labels = Int32Array.from([0, 1, 0, 1, 0, 2, 0, 1, 0, 0]); // class 0: 6, class 1: 3, class 2: 1

test('holds out min(perClass, n - 1) per class; the parts are disjoint, complete and in order', (t) => {
  const { heldOut, rest } = holdOutIndices(labels, 3, 2, 7);
  const count = (idx: Int32Array, c: number) => [...idx].filter((i) => labels[i] === c).length;
  t.deepEqual(
    [0, 1, 2].map((c) => count(heldOut, c)),
    [2, 2, 0],
  ); // class 2 keeps its only image
  t.deepEqual(
    [...heldOut, ...rest].sort((a, b) => a - b),
    [...labels.keys()],
  );
  t.deepEqual(
    [...heldOut],
    [...heldOut].sort((a, b) => a - b),
  );
  t.deepEqual(
    [...rest],
    [...rest].sort((a, b) => a - b),
  );
});

test('the choice is a function of the seed', (t) => {
  const many = Int32Array.from({ length: 200 }, (_, i) => i % 4);
  t.deepEqual(holdOutIndices(many, 4, 5, 1), holdOutIndices(many, 4, 5, 1));
  t.notDeepEqual(holdOutIndices(many, 4, 5, 1).heldOut, holdOutIndices(many, 4, 5, 2).heldOut);
  t.throws(() => holdOutIndices(many, 4, 0, 1), { message: /positive integer/ });
});

test('several held-out splits are consecutive, disjoint parts of each class order; train keeps what none took', (t) => {
  const many = Int32Array.from({ length: 120 }, (_, i) => i % 3);
  const first = holdOutIndices(many, 3, 5, 9);
  const second = holdOutIndices(many, 3, 4, 9, 5);
  const total = holdOutIndices(many, 3, 9, 9);
  t.deepEqual(
    [...first.heldOut, ...second.heldOut].sort((a, b) => a - b),
    [...total.heldOut],
  );
  t.is(new Set([...first.heldOut, ...second.heldOut]).size, 27);
  t.true([...second.heldOut].every((i) => total.rest.indexOf(i) === -1 && first.heldOut.indexOf(i) === -1));
  // A class keeps at least one training image: a later part shrinks first.
  const small = Int32Array.from([0, 0, 0, 1, 1, 1]);
  t.is(holdOutIndices(small, 2, 2, 1, 1).heldOut.length, 2); // positions 1 of 3 per class; position 2 stays for training
});
