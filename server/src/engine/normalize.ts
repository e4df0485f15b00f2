/** Text normalisation shared by the model, the rules and the knowledge matcher. */

/** NFKC + lower case: full-width/half-width and case variants compare equal. */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
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
/** Units after which per-unit folding may differ from fold() of the whole string (marks compose, jamo join, Σ, surrogates). */
const JOINING = /[\p{M}\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\ud7b0-\ud7ff\u03a3\ud800-\udfff]/u;

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

/** A string folded unit by unit (same length as the input, offsets preserved). */
export function foldAligned(text: string): string {
  const parts: string[] = [];
  const buf = new Uint16Array(Math.min(text.length, 8192));
  for (let i = 0; i < text.length; i += buf.length) {
    const n = Math.min(buf.length, text.length - i);
    for (let j = 0; j < n; j++) {
      const code = text.charCodeAt(i + j);
      const f = unit(code);
      buf[j] = f === 0xffff ? foldChar(text[i + j]).charCodeAt(0) : f;
    }
    parts.push(String.fromCharCode.apply(null, buf.subarray(0, n) as unknown as number[]));
  }
  return parts.join('');
}

/**
 * fold() of the whole text computed unit by unit, so that fold() of any slice is the same slice
 * of it; undefined when the text holds a unit for which that is not true (then fold each slice).
 */
export function foldWhole(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) if (unit(text.charCodeAt(i)) === 0xffff) return undefined;
  return foldAligned(text);
}

const KANJI_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Parses 12, １２, 十二, 百二十三 … into a number; NaN when it is not a number. */
export function parseJapaneseNumber(text: string): number {
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
