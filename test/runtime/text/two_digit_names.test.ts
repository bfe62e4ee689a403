/**
 * The VL expert's starting point on the 100-class benchmark: every two-digit class name of
 * experiments/classes/two_digit_numbers.txt has its words in the shipped vectors, and the class
 * embeddings carry the names' structure (what weights/README.md, "Number words", states).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { fileClassEmbeddings } from '../../../runtime/text/embeddings_file.ts';

const root = join(import.meta.dirname, '../../..');
const names = readFileSync(join(root, 'experiments/classes/two_digit_numbers.txt'), 'utf8').trim().split('\n');

test('the 100 number names encode, and each one is nearest to a number sharing its tens or unit digit', (t) => {
  t.is(names.length, 100);
  t.deepEqual(
    [names[0], names[7], names[13], names[40], names[42], names[99]],
    ['zero zero', 'zero seven', 'thirteen', 'forty', 'forty two', 'ninety nine'],
  );
  const { rows } = fileClassEmbeddings({
    file: join(root, 'weights/vl-fmnist-text.json'),
    classes: 100,
    classnames: names,
    template: 'a photo of a {}',
    embedDim: 64,
  });
  const row = (i: number) => rows[i]!;
  const cos = (i: number, j: number) => row(i).reduce((s, v, k) => s + v * row(j)[k]!, 0);
  const sharesDigit = (i: number, j: number) => Math.floor(i / 10) === Math.floor(j / 10) || i % 10 === j % 10;
  for (let i = 0; i < 100; i++) {
    let nearest = -1;
    for (let j = 0; j < 100; j++) if (j !== i && (nearest < 0 || cos(i, j) > cos(i, nearest))) nearest = j;
    t.true(sharesDigit(i, nearest), `${names[i]}: nearest is ${names[nearest]}`);
  }
});
