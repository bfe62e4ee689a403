/**
 * Reading literal token images: numbers with unit suffixes and strings with escapes. Shared by
 * grammar/parse.ts (which reports bad units and escapes) and compiler/lower.ts (which builds the
 * values), so both agree on what a literal means.
 */

export type NumberUnit = 'k' | 'M' | 'G' | '%';

const unitMultiplier: Readonly<Record<NumberUnit, number>> = { k: 1e3, M: 1e6, G: 1e9, '%': 1 };

export interface ReadNumber {
  /** The value with k/M/G applied; percent is kept as written (2% is 2). */
  readonly value: number;
  readonly unit?: NumberUnit;
  /** The numeric part as written, before any suffix. */
  readonly digits: string;
  /** Whatever follows the digits when it is not a known unit (`kb` in `10kb`), else ''. */
  readonly badSuffix: string;
}

const numericPart = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;

export function readNumber(raw: string): ReadNumber {
  const digits = numericPart.exec(raw)?.[0] ?? '';
  const suffix = raw.slice(digits.length);
  const base = digits === '' ? Number.NaN : Number(digits);
  if (suffix === '') return { value: base, digits, badSuffix: '' };
  if (suffix in unitMultiplier) {
    const unit = suffix as NumberUnit;
    // Multiply via the exponent to keep 1.1M exactly 1100000 rather than 1100000.0000000002.
    const value = unit === '%' ? base : Number(`${digits}e${Math.log10(unitMultiplier[unit])}`);
    return { value: Number.isFinite(value) ? value : base * unitMultiplier[unit], unit, digits, badSuffix: '' };
  }
  return { value: base, digits, badSuffix: suffix };
}

const escapes: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

export interface ReadString {
  readonly value: string;
  readonly terminated: boolean;
  /** Offsets (relative to the image) of each backslash that starts an unknown escape. */
  readonly badEscapes: readonly number[];
}

/** Decodes a String or UnterminatedString image; an unknown escape `\q` stands for `q`. */
export function readString(image: string): ReadString {
  const terminated = image.length >= 2 && image.endsWith('"') && !endsInsideEscape(image);
  const body = image.slice(1, terminated ? -1 : undefined);
  const badEscapes: number[] = [];
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) break; // a lone trailing backslash of an unterminated string
    const decoded = escapes[next];
    if (decoded === undefined) badEscapes.push(i + 1);
    value += decoded ?? next;
    i++;
  }
  return { value, terminated, badEscapes };
}

/** True when the final quote is escaped, as in the unterminated `"abc\"`. */
function endsInsideEscape(image: string): boolean {
  let backslashes = 0;
  for (let i = image.length - 2; i > 0 && image[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}
