/**
 * Recognises the numbering markers municipal policy authors write at the start of
 * a line, in guideline layout (6. / 6.1 / (1) / ① / (ア) / ア / 2―4―1) and in 例規
 * layout (第1章 / 第1節 / 第1条 / paragraph numbers 2, 3 / (1) 号 / ア, イロハ, 一).
 */
import { AIUEO, CIRCLED, IROHA, parseJapaneseNumber } from '../normalize';

export type MarkerStyle =
  | 'chapter' | 'section' | 'division' | 'item-dai' | 'article' | 'supplement'
  | 'decimal' | 'dash'
  | 'bare-number' | 'paragraph'
  | 'paren-number' | 'number-paren' | 'circled'
  | 'paren-katakana' | 'katakana' | 'paren-iroha' | 'iroha'
  | 'kanji-number';

export interface Marker {
  style: MarkerStyle;
  /** Sequence value (1-based). For decimal/dash the last component. */
  value: number;
  /** Full path for hierarchical markers (6.1.2 → [6,1,2]); article branch (第1条の2 → [1,2]). */
  path: number[];
  /** The marker as written, e.g. "（１）" or "第１条". */
  text: string;
  /** Whether the marker uses full-width digits or brackets (for generating the next marker). */
  fullWidth: boolean;
  /** The raw katakana/kana character for kana styles (to re-interpret イロハ). */
  kana?: string;
}

export interface MarkerMatch {
  marker: Marker;
  /** Length of marker plus following separator, in UTF-16 units. */
  length: number;
}

const WS = '[ \\t\\u3000]';
const DIGITS = '[0-9０-９]+';
const KNUM = '[0-9０-９〇一二三四五六七八九十百千]+';

const RE_CHAPTER = new RegExp(`^第(${KNUM})(章|節|款)(?:${WS}+|$)`);
const RE_ARTICLE = new RegExp(`^第(${KNUM})条(?:の(${KNUM}))?(?=${WS}|[（(]|$)${WS}*`);
const RE_SUPPLEMENT = new RegExp(`^[附付]${WS}*則(?:${WS}|[（(]|$)`);
const RE_DAI = new RegExp(`^第(${KNUM})(?:${WS}+|$)`);
/** Counters that make "3日" or "2名" a quantity rather than a number marker. */
const COUNTERS = '年月日時分秒件人名回つ個台部倍円条項号章節款者歳割点週か箇ヶケ通枚本冊頁次期等以未超%％万千百';
const RE_BARE_TIGHT = new RegExp(`^([0-9０-９]{1,2})(?=[\u3040-\u30ff\u4e00-\u9fff])(?![${COUNTERS}])`);
const RE_DECIMAL = new RegExp(`^(${DIGITS}(?:[.．]${DIGITS})*)([.．])?(?:${WS}+|$)`);
const RE_DASH = new RegExp(`^(${DIGITS}(?:[―－‐\\-ー]${DIGITS})+)(?:${WS}+|$)`);
const RE_PAREN_NUMBER = new RegExp(`^([（(])(${DIGITS})([）)])${WS}*`);
const RE_NUMBER_PAREN = new RegExp(`^(${DIGITS})([）)])${WS}*`);
const RE_CIRCLED = new RegExp(`^([${CIRCLED}])${WS}*`);
const RE_PAREN_KANA = new RegExp(`^([（(])([${AIUEO}])([）)])${WS}*`);
const RE_KANA = new RegExp(`^([${AIUEO}])(?:${WS}+)`);
const RE_KANJI_NUMBER = new RegExp(`^([一二三四五六七八九十]+)(?:${WS}+)`);

/** Characters (UTF-16 units) that can start a marker other than 第… and 附則 (the patterns below start with one of them). */
const MARKER_FIRST = new Set([...'0123456789０１２３４５６７８９(（一二三四五六七八九十', ...CIRCLED, ...AIUEO].map((ch) => ch.charCodeAt(0)));

function isFullWidth(s: string): boolean {
  return /[０-９（）．－]/.test(s);
}

function digits(s: string): number {
  return parseJapaneseNumber(s);
}

/**
 * Parses a marker at the start of `line` (leading indentation already removed).
 * Returns undefined when the line does not start with a numbering marker.
 */
export function parseMarker(line: string): MarkerMatch | undefined {
  if (line.length === 0) return undefined;
  // The first unit as a number (line[0] would make a string for every line).
  const c = line.charCodeAt(0);
  let m: RegExpExecArray | null;

  if (c === 0x7b2c /* 第 */) {
    if ((m = RE_CHAPTER.exec(line))) {
      const style: MarkerStyle = m[2] === '章' ? 'chapter' : m[2] === '節' ? 'section' : 'division';
      const value = digits(m[1]);
      if (Number.isNaN(value)) return undefined;
      return { marker: { style, value, path: [value], text: `第${m[1]}${m[2]}`, fullWidth: isFullWidth(m[1]) }, length: m[0].length };
    }
    if ((m = RE_ARTICLE.exec(line))) {
      const value = digits(m[1]);
      if (Number.isNaN(value)) return undefined;
      const branch = m[2] ? digits(m[2]) : undefined;
      const path = branch === undefined || Number.isNaN(branch) ? [value] : [value, branch];
      const text = m[0].trimEnd();
      return { marker: { style: 'article', value, path, text, fullWidth: isFullWidth(m[1]) }, length: m[0].length };
    }
    if ((m = RE_DAI.exec(line))) {
      // 要綱・基準 style: 第1 総則 / 第2 組織体制
      const value = digits(m[1]);
      if (Number.isNaN(value)) return undefined;
      return { marker: { style: 'item-dai', value, path: [value], text: `第${m[1]}`, fullWidth: isFullWidth(m[1]) }, length: m[0].length };
    }
    return undefined;
  }
  if ((c === 0x9644 /* 附 */ || c === 0x4ed8 /* 付 */) && (m = RE_SUPPLEMENT.exec(line))) {
    return { marker: { style: 'supplement', value: 1, path: [1], text: '附則', fullWidth: false }, length: line.length };
  }
  // Most lines are prose: one set lookup instead of trying every pattern.
  if (!MARKER_FIRST.has(c)) return undefined;
  // Only the patterns that can start with this character (the order among them is unchanged).
  const digit = (c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19);
  const bracket = c === 0x28 /* ( */ || c === 0xff08 /* （ */;
  if (digit && (m = RE_DASH.exec(line))) {
    const parts = m[1].split(/[―－‐\-ー]/).map(digits);
    return { marker: { style: 'dash', value: parts[parts.length - 1], path: parts, text: m[1], fullWidth: isFullWidth(m[1]) }, length: m[0].length };
  }
  if (digit && (m = RE_DECIMAL.exec(line))) {
    const parts = m[1].split(/[.．]/).map(digits);
    if (parts.length === 1 && !m[2]) {
      // "2 前項の…": a bare number; the outline decides whether it is a paragraph number.
      return { marker: { style: 'bare-number', value: parts[0], path: parts, text: m[1], fullWidth: isFullWidth(m[1]) }, length: m[0].length };
    }
    return { marker: { style: 'decimal', value: parts[parts.length - 1], path: parts, text: m[1] + (m[2] ?? ''), fullWidth: isFullWidth(m[0]) }, length: m[0].length };
  }
  if (digit && (m = RE_BARE_TIGHT.exec(line))) {
    // "1目的" written without a space (common in converted 例規)
    const value = digits(m[1]);
    return { marker: { style: 'bare-number', value, path: [value], text: m[1], fullWidth: isFullWidth(m[1]) }, length: m[0].length };
  }
  if (bracket && (m = RE_PAREN_NUMBER.exec(line))) {
    const value = digits(m[2]);
    return { marker: { style: 'paren-number', value, path: [value], text: m[1] + m[2] + m[3], fullWidth: m[1] === '（' }, length: m[0].length };
  }
  if (digit && (m = RE_NUMBER_PAREN.exec(line))) {
    const value = digits(m[1]);
    return { marker: { style: 'number-paren', value, path: [value], text: m[1] + m[2], fullWidth: m[2] === '）' }, length: m[0].length };
  }
  if (!digit && !bracket && (m = RE_CIRCLED.exec(line))) {
    const value = CIRCLED.indexOf(m[1]) + 1;
    return { marker: { style: 'circled', value, path: [value], text: m[1], fullWidth: true }, length: m[0].length };
  }
  if (bracket && (m = RE_PAREN_KANA.exec(line))) {
    const value = AIUEO.indexOf(m[2]) + 1;
    return { marker: { style: 'paren-katakana', value, path: [value], text: m[1] + m[2] + m[3], fullWidth: m[1] === '（', kana: m[2] }, length: m[0].length };
  }
  if (!digit && !bracket && (m = RE_KANA.exec(line))) {
    const value = AIUEO.indexOf(m[1]) + 1;
    return { marker: { style: 'katakana', value, path: [value], text: m[1], fullWidth: true, kana: m[1] }, length: m[0].length };
  }
  if (!digit && !bracket && (m = RE_KANJI_NUMBER.exec(line))) {
    const value = digits(m[1]);
    if (Number.isNaN(value) || value === 0) return undefined;
    return { marker: { style: 'kanji-number', value, path: [value], text: m[1], fullWidth: true }, length: m[0].length };
  }
  return undefined;
}

/** Styles whose rank is fixed regardless of order of appearance. Lower = outer. */
export function intrinsicRank(marker: Marker): number | undefined {
  switch (marker.style) {
    case 'supplement': return 0;
    case 'chapter': return 1;
    case 'section': return 2;
    case 'division': return 3;
    case 'item-dai': return 4;
    case 'article': return 4;
    case 'paragraph': return 5;
    case 'decimal':
    case 'dash':
      return 10 + marker.path.length;
    default:
      return undefined;
  }
}

/** Key that identifies "the same level" for sibling detection. */
export function styleKey(marker: Marker): string {
  if (marker.style === 'decimal' || marker.style === 'dash') return `${marker.style}:${marker.path.length}`;
  if (marker.style === 'iroha') return 'katakana';
  if (marker.style === 'paren-iroha') return 'paren-katakana';
  return marker.style;
}

/** Re-reads a kana sibling list as イロハ order when it starts イ, ロ. */
export function reinterpretKana(markers: Marker[]): void {
  if (markers.length === 0 || markers[0].kana !== 'イ') return;
  if (markers.length > 1 && markers[1].kana !== 'ロ') return;
  for (const mk of markers) {
    if (!mk.kana) continue;
    mk.style = mk.style === 'katakana' ? 'iroha' : mk.style === 'paren-katakana' ? 'paren-iroha' : mk.style;
    mk.value = IROHA.indexOf(mk.kana) + 1;
  }
}

/** Human-readable name of a style (Japanese, for messages). */
export function styleLabel(marker: Marker): string {
  switch (marker.style) {
    case 'chapter': return '章';
    case 'section': return '節';
    case 'division': return '款';
    case 'item-dai': return '第1 第2 …';
    case 'article': return '条';
    case 'supplement': return '附則';
    case 'paragraph': return '項（2、3 …）';
    case 'decimal': return `${marker.path.length}桁目の番号（${marker.path.length === 1 ? '1.' : '1.1'} …）`;
    case 'dash': return '番号（2―4―1 形式）';
    case 'bare-number': return '番号（1 2 3 …）';
    case 'paren-number': return '(1)(2) …';
    case 'number-paren': return '1) 2) …';
    case 'circled': return '①② …';
    case 'paren-katakana': return '(ア)(イ) …';
    case 'katakana': return 'ア イ …';
    case 'paren-iroha': return '(イ)(ロ) …';
    case 'iroha': return 'イ ロ ハ …';
    case 'kanji-number': return '一 二 三 …';
  }
}

/** Formats the marker that has `value` in the same style as `like`. */
export function formatMarker(like: Marker, value: number): string {
  const num = (n: number) => (like.fullWidth ? String(n).replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)) : String(n));
  const open = like.fullWidth ? '（' : '(';
  const close = like.fullWidth ? '）' : ')';
  switch (like.style) {
    case 'chapter': return `第${num(value)}章`;
    case 'section': return `第${num(value)}節`;
    case 'division': return `第${num(value)}款`;
    case 'item-dai': return `第${num(value)}`;
    case 'article': return `第${num(value)}条`;
    case 'supplement': return '附則';
    case 'paragraph':
    case 'bare-number': return num(value);
    case 'decimal': {
      const path = [...like.path.slice(0, -1), value].map(num).join(like.fullWidth ? '．' : '.');
      return like.text.endsWith('.') || like.text.endsWith('．') || like.path.length === 1 ? path + (like.fullWidth ? '．' : '.') : path;
    }
    case 'dash': return [...like.path.slice(0, -1), value].map(num).join('―');
    case 'paren-number': return `${open}${num(value)}${close}`;
    case 'number-paren': return `${num(value)}${close}`;
    case 'circled': return CIRCLED[value - 1] ?? `(${value})`;
    case 'paren-katakana': return `${open}${AIUEO[value - 1] ?? '?'}${close}`;
    case 'katakana': return AIUEO[value - 1] ?? '?';
    case 'paren-iroha': return `${open}${IROHA[value - 1] ?? '?'}${close}`;
    case 'iroha': return IROHA[value - 1] ?? '?';
    case 'kanji-number': return ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'][value] ?? String(value);
  }
}
