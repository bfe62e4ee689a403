/**
 * CLIP's tokenizer: the ids OpenAI's `clip.tokenize(texts, truncate=True)` gives.
 *
 * Clean-up as CLIP does it: HTML entities decoded twice, surrounding whitespace stripped, every
 * whitespace run made one space, lower-cased. Pre-tokens: the special tokens, the contractions
 * 's 't 're 've 'm 'll 'd, runs of letters, single digits, and runs of anything else that is not
 * whitespace. Each pre-token's UTF-8 bytes go through the BPE (bpe.ts). A text becomes
 * [<|startoftext|>, ..., <|endoftext|>] in a 77-token context; a longer text is cut to 77 with
 * its last id replaced by <|endoftext|> (what truncate=True and open_clip do).
 *
 * One difference: CLIP first runs ftfy.fix_text, which repairs mojibake ("cafÃ©" -> "café"),
 * normalises to NFC and replaces a few look-alike characters (curly quotes stay as they are).
 * It is not reproduced: text that is already clean, valid Unicode in NFC (which class names are)
 * tokenizes identically; this module normalises to NFC so composed and decomposed accents agree.
 */
import { decodeHTML } from 'entities';
import { bpeMerge, clipVocabulary, endToken, startToken, type BpeVocabulary } from './bpe.ts';

export const contextLength = 77;

/** The regex module's \s: Unicode White_Space. */
const space = '\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python's str.strip() strips str.isspace characters: White_Space plus the ASCII separators \x1c-\x1f. */
const stripped = `[${space}\\x1c-\\x1f]+`;
const edges = new RegExp(`^${stripped}|${stripped}$`, 'gu');
const spaceRun = new RegExp(`[${space}]+`, 'gu');
const preToken = new RegExp(
  `<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^${space}\\p{L}\\p{N}]+`,
  'giu',
);

export interface ClipTokenizer {
  readonly vocab: BpeVocabulary;
  readonly startId: number;
  readonly endId: number;
  /** Ids of a text, without start and end tokens and without truncation. */
  encode(text: string): number[];
  /** [startId, ...encode(text), endId], cut to `context` keeping endId last. */
  tokenize(text: string, context?: number): number[];
}

export function cleanText(text: string): string {
  const unescaped = decodeHTML(decodeHTML(text.normalize('NFC')));
  return unescaped.replace(edges, '').replace(spaceRun, ' ').replace(edges, '').toLowerCase();
}

export function createTokenizer(vocab: BpeVocabulary = clipVocabulary()): ClipTokenizer {
  const cache = new Map<string, number[]>();
  const utf8 = new TextEncoder();
  const idOf = (piece: string) => vocab.ids.get(piece)!;
  const startId = idOf(startToken);
  const endId = idOf(endToken);

  const encodeWord = (word: string): number[] => {
    if (word === startToken) return [startId];
    if (word === endToken) return [endId];
    let ids = cache.get(word);
    if (!ids) {
      const mapped = Array.from(utf8.encode(word), (b) => vocab.byteChars[b]!).join('');
      ids = bpeMerge(vocab, mapped).map(idOf);
      cache.set(word, ids);
    }
    return ids;
  };

  const encode = (text: string): number[] => (cleanText(text).match(preToken) ?? []).flatMap(encodeWord);

  return {
    vocab,
    startId,
    endId,
    encode,
    tokenize(text, context = contextLength) {
      const ids = [startId, ...encode(text), endId];
      if (ids.length <= context) return ids;
      const cut = ids.slice(0, context);
      cut[context - 1] = endId;
      return cut;
    },
  };
}

let shared: ClipTokenizer | undefined;

/** The tokenizer on the shipped vocabulary, built once. */
export function clipTokenizer(): ClipTokenizer {
  shared ??= createTokenizer();
  return shared;
}
