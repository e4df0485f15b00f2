/** Text normalisation shared by the model, the rules and the knowledge matcher. */

/** NFKC + lower case: full-width/half-width and case variants compare equal. */
export function fold(text: string): string {
  return (text.length <= BY_UNITS_MAX && byUnits(text)) || text.normalize('NFKC').toLowerCase();
}

/**
 * Texts up to this length (titles, captions, terms, sentences) fold from the table when they can
 * (byUnits); longer ones (8 K pieces of a document) through ICU, which is faster there.
 */
const BY_UNITS_MAX = 256;

/**
 * fold() of a short text read from the table of single units (see unit()), when every unit folds
 * alone to one unit and none composes with its neighbours (JOINING): then the whole text folds
 * unit by unit. Most titles and sentences of a policy do (kana, kanji, 全角 letters, digits and
 * brackets): ~3× faster than ICU's normalisation and case mapping. Undefined otherwise.
 */
function byUnits(text: string): string | undefined {
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let f = UNIT[code];
    if (f === 0) f = unit(code);
    if (f === 0xffff) return undefined;
    if (f !== code) changed = true;
  }
  if (!changed) return text;
  const units: number[] = new Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = UNIT[text.charCodeAt(i)];
  return String.fromCharCode(...units);
}

/** Folds one UTF-16 unit at a time, so that indexes stay aligned with the source. */
export function foldChar(ch: string): string {
  let f = FOLDED.get(ch);
  if (f === undefined) {
    const n = ch.normalize('NFKC');
    f = (n.length === 1 ? n : ch).toLowerCase();
    // The table only grows with distinct characters (a few thousand in Japanese text).
    if (FOLDED.size < 100_000) FOLDED.set(ch, f);
  }
  return f;
}
const FOLDED = new Map<string, string>();

/** Folded form of each UTF-16 unit (0 = not computed yet); 0xffff marks a unit that folds to other than one unit. */
const UNIT = new Uint16Array(65536);
/**
 * Units after which per-unit folding may differ from fold() of the whole string: marks compose,
 * jamo join (also the half-width ones, U+FFA0–FFDC), half-width ﾞ ﾟ compose with the kana before
 * them (ｶﾞ → ガ: one unit fewer), Σ and Ϲ depend on their neighbours, Thai/Lao AM, surrogates. A text
 * without them cannot shrink when folded, so "same length" proves that every unit folded alone.
 */
const JOINING = /[\p{M}\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\ud7b0-\ud7ff\u03a3\u03f9\u0e33\u0eb3\uff9e-\uffdc\ud800-\udfff]/u;

function unit(code: number): number {
  let f = UNIT[code];
  if (f === 0) {
    const ch = String.fromCharCode(code);
    const n = ch.normalize('NFKC').toLowerCase();
    f = n.length === 1 && !JOINING.test(ch) ? n.charCodeAt(0) : 0xffff;
    if (f === 0) f = 0xffff;
    UNIT[code] = f;
  }
  return f;
}

/** 1: the unit may compose with or change its neighbours when folded; 2: it does not; 0: unknown yet. */
const JOINS = new Uint8Array(65536);

/**
 * fold() of the whole text when it is also the unit-by-unit folding (same length, nothing that
 * composes): then fold() of any slice is the same slice of it. Undefined otherwise.
 */
export function foldExact(text: string): string | undefined {
  const byUnit = text.length <= BY_UNITS_MAX ? byUnits(text) : undefined;
  if (byUnit !== undefined) return byUnit;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let j = JOINS[code];
    if (j === 0) { j = JOINING.test(String.fromCharCode(code)) ? 1 : 2; JOINS[code] = j; }
    if (j === 1) return undefined;
  }
  // byUnits() could not fold it (done above for a short text): ICU.
  const folded = text.normalize('NFKC').toLowerCase();
  return folded.length === text.length ? folded : undefined;
}

/** A string folded unit by unit (same length as the input, offsets preserved). */
export function foldAligned(text: string): string {
  return foldUnits(text).folded;
}

/**
 * Folds text unit by unit; `exact` tells whether fold() of any slice of the text is the same
 * slice of the result (false when it holds a unit that composes or folds to more than one unit).
 * `inexact` receives the offsets (plus its base) of such units.
 */
export function foldUnits(text: string, inexact?: { base: number; at: number[] }): { folded: string; exact: boolean } {
  const parts: string[] = [];
  const size = Math.min(text.length, 8192);
  const buf = new Uint16Array(size);
  let exact = true;
  for (let i = 0; i < text.length; i += size) {
    const n = Math.min(size, text.length - i);
    for (let j = 0; j < n; j++) {
      const code = text.charCodeAt(i + j);
      let f = UNIT[code];
      if (f === 0) f = unit(code);
      if (f === 0xffff) {
        exact = false;
        inexact?.at.push(inexact.base + i + j);
        f = foldChar(text[i + j]).charCodeAt(0);
      }
      buf[j] = f;
    }
    parts.push(String.fromCharCode.apply(null, buf.subarray(0, n) as unknown as number[]));
  }
  return { folded: parts.join(''), exact };
}

const KANJI_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Parses 12, １２, 十二, 百二十三 … into a number; NaN when it is not a number. */
export function parseJapaneseNumber(text: string): number {
  // ASCII digits (most markers): NFKC leaves them as they are.
  let i = 0;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  if (i > 0 && i === text.length) return Number(text);
  const ascii = text.normalize('NFKC');
  if (/^[0-9]+$/.test(ascii)) return Number(ascii);
  if (!/^[〇零一二三四五六七八九十百千]+$/.test(text)) return NaN;
  let total = 0;
  let digit = -1;
  for (const ch of text) {
    if (ch in KANJI_DIGITS) { digit = KANJI_DIGITS[ch]; continue; }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : 1000;
    total += (digit < 0 ? 1 : digit) * unit;
    digit = -1;
  }
  return total + (digit < 0 ? 0 : digit);
}

export const AIUEO = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン';
export const IROHA = 'イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス';
export const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿';

const KANJI_NUM = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
export function toKanjiNumber(n: number): string {
  if (n <= 0 || n >= 1000) return String(n);
  const h = Math.floor(n / 100), t = Math.floor((n % 100) / 10), o = n % 10;
  return (h ? (h > 1 ? KANJI_NUM[h] : '') + '百' : '') + (t ? (t > 1 ? KANJI_NUM[t] : '') + '十' : '') + KANJI_NUM[o];
}

/** Converts ASCII digits to full-width digits. */
export function toFullWidthDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
}
