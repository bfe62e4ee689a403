/**
 * CLIP's byte-level BPE vocabulary (Radford et al., arXiv 2103.00020; OpenAI's
 * bpe_simple_vocab_16e6.txt.gz, MIT, shipped in ./vocab with its licence).
 *
 * Every UTF-8 byte maps to one printable character (the GPT-2 byte table), so a word becomes a
 * string of such characters; its last character carries the end-of-word mark `</w>`. Merges are
 * applied lowest rank first, each one to every non-overlapping occurrence, left to right, until
 * no adjacent pair has a rank. The ids: the 256 byte characters, the same with `</w>`, one per
 * merge (48,894), then <|startoftext|> 49406 and <|endoftext|> 49407: 49,408 in all.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const vocabFile = new URL('./vocab/bpe_simple_vocab_16e6.txt.gz', import.meta.url);

/** The vocabulary file holds more merges than CLIP uses; CLIP keeps 49152 - 256 - 2 of them. */
const mergeCount = 49152 - 256 - 2;
export const startToken = '<|startoftext|>';
export const endToken = '<|endoftext|>';
const endOfWord = '</w>';

export interface BpeVocabulary {
  /** Token string -> id. */
  readonly ids: ReadonlyMap<string, number>;
  /** "left right" -> merge rank (lower merges first). */
  readonly ranks: ReadonlyMap<string, number>;
  /** UTF-8 byte -> its printable stand-in character. */
  readonly byteChars: readonly string[];
  readonly size: number;
}

/** GPT-2's table: printable Latin-1 bytes map to themselves, the rest to U+0100 onwards. */
function byteCharacters(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const chars = new Array<string>(256);
  let next = 0;
  for (let b = 0; b < 256; b++) chars[b] = String.fromCodePoint(printable(b) ? b : 256 + next++);
  return chars;
}

/** The byte table in CLIP's order: printable bytes ascending, then the others ascending. */
function vocabularyOrder(chars: readonly string[]): string[] {
  const printable: string[] = [];
  const others: string[] = [];
  chars.forEach((c) => (c.codePointAt(0)! < 256 ? printable : others).push(c));
  return [...printable, ...others];
}

export function parseVocabulary(text: string): BpeVocabulary {
  const lines = text.split('\n').slice(1, 1 + mergeCount);
  if (lines.length !== mergeCount)
    throw new Error(`BPE vocabulary holds ${lines.length} merges, expected ${mergeCount}`);
  const byteChars = byteCharacters();
  const base = vocabularyOrder(byteChars);
  const tokens = [...base, ...base.map((c) => c + endOfWord)];
  const ranks = new Map<string, number>();
  lines.forEach((line, rank) => {
    const [left, right] = line.split(' ');
    ranks.set(`${left} ${right}`, rank);
    tokens.push(`${left}${right}`);
  });
  tokens.push(startToken, endToken);
  return { ids: new Map(tokens.map((t, id) => [t, id])), ranks, byteChars, size: tokens.length };
}

let shipped: BpeVocabulary | undefined;

/** The shipped vocabulary, read once. */
export function clipVocabulary(): BpeVocabulary {
  shipped ??= parseVocabulary(gunzipSync(readFileSync(vocabFile)).toString('utf8'));
  return shipped;
}

/** One pre-token (already byte-mapped) -> its BPE pieces. */
export function bpeMerge(vocab: BpeVocabulary, word: string): string[] {
  const chars = [...word];
  let parts = [...chars.slice(0, -1), chars[chars.length - 1]! + endOfWord];
  while (parts.length > 1) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const rank = vocab.ranks.get(`${parts[i]} ${parts[i + 1]}`);
      if (rank !== undefined && rank < bestRank) [best, bestRank] = [i, rank];
    }
    if (best < 0) break;
    const [left, right] = [parts[best]!, parts[best + 1]!];
    const merged: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === left && parts[i + 1] === right && i + 1 < parts.length) {
        merged.push(left + right);
        i++;
      } else {
        merged.push(parts[i]!);
      }
    }
    parts = merged;
  }
  return parts;
}
