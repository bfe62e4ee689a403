/**
 * Token-level mutations of a source text, for fuzzing the front end: each mutant applies one to
 * three edits (delete, duplicate or swap tokens, replace a token by a sample of another kind,
 * insert punctuation, truncate) chosen by a seeded RNG, so a failing mutant is reproducible from
 * its seed and index. `nodesWithSpans` lists every AST node so tests can check their spans.
 */
import { tokenize } from '../../grammar/parse.ts';

/** mulberry32: a tiny deterministic 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** One sample image for every token kind, plus a few troublemakers the lexer must survive. */
const samples = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ',',
  ';',
  ':',
  '=',
  '..',
  '.',
  '|',
  '+',
  '-',
  '*',
  '/',
  '>=',
  '<=',
  '>',
  '<',
  'of',
  'after',
  'extends',
  'on',
  'name',
  'phase',
  '"text"',
  '42',
  '1.5M',
  '2%',
  '1e-3',
  '"open',
  '/* open',
  '#',
  '10kb',
  '"bad\\q"',
  '\t',
  '\n',
];
const punctuation = ['{', '}', '(', ')', '[', ']', ',', ';', ':', '=', '.', '..', '|', '-', '>'];

interface Piece {
  readonly start: number;
  readonly end: number;
}

type Edit = (text: string, pieces: readonly Piece[], random: () => number) => string;

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const splice = (text: string, start: number, end: number, insert: string): string =>
  text.slice(0, start) + insert + text.slice(end);

const edits: readonly Edit[] = [
  function deleteToken(text, pieces, random) {
    const p = pick(pieces, random);
    return splice(text, p.start, p.end, '');
  },
  function duplicateToken(text, pieces, random) {
    const p = pick(pieces, random);
    return splice(text, p.end, p.end, ` ${text.slice(p.start, p.end)}`);
  },
  function swapAdjacent(text, pieces, random) {
    if (pieces.length < 2) return text;
    const i = Math.floor(random() * (pieces.length - 1));
    const a = pieces[i]!;
    const b = pieces[i + 1]!;
    return (
      text.slice(0, a.start) +
      text.slice(b.start, b.end) +
      text.slice(a.end, b.start) +
      text.slice(a.start, a.end) +
      text.slice(b.end)
    );
  },
  function replaceToken(text, pieces, random) {
    const p = pick(pieces, random);
    return splice(text, p.start, p.end, pick(samples, random));
  },
  function insertPunctuation(text, pieces, random) {
    const at = pick(pieces, random)[random() < 0.5 ? 'start' : 'end'];
    return splice(text, at, at, pick(punctuation, random));
  },
  function truncate(text, _pieces, random) {
    return text.slice(0, Math.floor(random() * (text.length + 1)));
  },
];

/** Where the tokens of `text` are; an empty text is treated as one empty piece so edits still apply. */
function piecesOf(text: string): Piece[] {
  const pieces = tokenize(text, 'mutant').tokens.map((token) => ({
    start: token.startOffset,
    end: token.startOffset + token.image.length,
  }));
  return pieces.length > 0 ? pieces : [{ start: 0, end: text.length }];
}

/** `count` mutants of `text`, the same ones for the same seed. */
export function mutations(text: string, seed: number, count: number): string[] {
  const random = seededRandom(seed);
  const mutants: string[] = [];
  for (let i = 0; i < count; i++) {
    let mutant = text;
    const editCount = 1 + Math.floor(random() * 3);
    for (let e = 0; e < editCount; e++) mutant = pick(edits, random)(mutant, piecesOf(mutant), random);
    mutants.push(mutant);
  }
  return mutants;
}

/** Every object with a `span` inside an AST (or any value), the root included, for span checks. */
export function nodesWithSpans(
  value: unknown,
): { kind?: string; span: { file: string; start: number; end: number } }[] {
  const found: { kind?: string; span: { file: string; start: number; end: number } }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    if ('span' in node) found.push(node as (typeof found)[number]);
    for (const [key, child] of Object.entries(node)) if (key !== 'span') visit(child);
  };
  visit(value);
  return found;
}
