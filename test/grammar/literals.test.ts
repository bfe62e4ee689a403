/** Reading literal images: unit multipliers and string escapes. */
import test from 'ava';
import { readNumber, readString } from '../../grammar/literals.ts';

test('units multiply exactly; percent keeps its written value', (t) => {
  t.like(readNumber('1.1M'), { value: 1_100_000, unit: 'M', badSuffix: '' });
  t.like(readNumber('500k'), { value: 500_000, unit: 'k' });
  t.like(readNumber('3G'), { value: 3e9, unit: 'G' });
  t.like(readNumber('1.2%'), { value: 1.2, unit: '%' });
  t.like(readNumber('1e-6'), { value: 1e-6, unit: undefined });
  t.like(readNumber('2.5e3'), { value: 2500 });
  t.like(readNumber('1e-3k'), { value: 1, unit: 'k' });
});

test('an unknown suffix is returned for the caller to report', (t) => {
  t.like(readNumber('10kb'), { value: 10, digits: '10', badSuffix: 'kb' });
  t.like(readNumber('1e'), { value: 1, digits: '1', badSuffix: 'e' });
});

test('strings decode the four escapes and flag unknown ones', (t) => {
  t.deepEqual(readString('"a\\"b\\\\c\\nd\\te"'), { value: 'a"b\\c\nd\te', terminated: true, badEscapes: [] });
  t.deepEqual(readString('"x\\qy"'), { value: 'xqy', terminated: true, badEscapes: [2] });
});

test('unterminated strings decode what is there', (t) => {
  t.like(readString('"abc'), { value: 'abc', terminated: false });
  t.like(readString('"abc\\"'), { value: 'abc"', terminated: false });
  t.like(readString('"'), { value: '', terminated: false });
  t.like(readString('"ab\\'), { value: 'ab', terminated: false });
});
