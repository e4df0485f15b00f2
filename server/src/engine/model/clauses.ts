/** Sentences of each outline node, with their subject and obligation level. */
import type { Clause, Obligation, OutlineNode, TextSegment } from './types';
import { keep } from '../memo';
import type { TermMatch } from './definitions';
import type { RawReference } from './references';

/**
 * Sentence endings of each obligation level, tried in this order (the first level with a
 * matching ending wins). Plain suffix tests: a `$`-anchored regex is tried at every position
 * of the sentence, which made this the model's hottest function on long documents.
 */
const OBLIGATIONS: [string[], Obligation][] = [
  [['努めなければならない', '努めなくてはならない', 'つとめなければならない', 'つとめなくてはならない', '努めるものとする', 'つとめるものとする', '努めること', '努める'], 'effort'],
  [['てはならない', 'てはいけない', 'ではならない', 'ではいけない', 'してはならず'], 'must-not'],
  [['なければならない', 'なければいけない', 'なくてはならない', 'なくてはいけない'], 'must'],
  [['ものとする'], 'shall'],
  [['望ましい', '推奨する', '推奨される'], 'recommended'],
  [['ことができる'], 'may'],
];

/** Closing marks and white space that may follow a sentence's last word (。」） …). */
function isTrailing(c: number): boolean {
  return c === 0x3002 /* 。 */ || c === 0xff0e /* ． */ || c === 0x2e /* . */ || c === 0x300d /* 」 */ || c === 0x300f /* 』 */ || c === 0xff09 /* ） */ || c === 0x29 /* ) */ || isSpace(c);
}

/** The characters of the regex class \s (ECMAScript white space and line terminators). */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Last characters of the endings above (い ず る と): a sentence ending otherwise has no obligation. */
const ENDING_LAST = new Set([0x3044, 0x305a, 0x308b, 0x3068]);

export function obligationOf(sentence: string): Obligation {
  let end = sentence.length;
  while (end > 0 && isTrailing(sentence.charCodeAt(end - 1))) end--;
  if (end === 0 || !ENDING_LAST.has(sentence.charCodeAt(end - 1))) return 'none';
  // endsWith at `end`: the sentence without its trailing marks (no slice). Index loops: no
  // iterators in a cold process, where this runs unoptimised for many of the sentences.
  for (let i = 0; i < OBLIGATIONS.length; i++) {
    const endings = OBLIGATIONS[i][0];
    for (let j = 0; j < endings.length; j++) if (sentence.endsWith(endings[j], end)) return OBLIGATIONS[i][1];
  }
  return 'none';
}

const SUBJECT = /^(?:【[^】]{1,10}】)?([^、。「」（）()]{1,40}?)(?:は|が)[、,]/;

/** SUBJECT can match only if は or が followed by 、 or , occurs in its reach (the first 54 characters). */
function mayHaveSubject(text: string): boolean {
  const n = Math.min(text.length, 56);
  for (let i = 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x3001 && c !== 0x2c) continue;
    const p = text.charCodeAt(i - 1);
    if (p === 0x306f || p === 0x304c) return true;
  }
  return false;
}

/**
 * Splits a segment into sentences at 。 outside brackets (the segment's end is a boundary too):
 * `out` receives each sentence's [start, end) in the segment (pairs; spaces around trimmed).
 */
function splitSegment(t: string, out: number[]): void {
  // No 。 before the last character (most lines): the segment is one sentence, brackets or not.
  const stop = t.indexOf('。');
  if (stop < 0 || stop === t.length - 1) { push(t, 0, t.length, out); return; }
  let depth = 0;
  let start = 0;
  for (let i = 0; i < t.length; i++) {
    const ch = t.charCodeAt(i);
    if (ch === 0x300c /* 「 */ || ch === 0xff08 /* （ */ || ch === 0x28 /* ( */ || ch === 0x300e /* 『 */) depth++;
    else if ((ch === 0x300d || ch === 0xff09 || ch === 0x29 || ch === 0x300f) && depth > 0) depth--;
    else if (ch === 0x3002 /* 。 */ && depth === 0) {
      push(t, start, i + 1, out);
      start = i + 1;
    }
  }
  push(t, start, t.length, out);
}

function push(t: string, s: number, e: number, out: number[]) {
  while (s < e && isSpace(t.charCodeAt(s))) s++;
  while (e > s && isSpace(t.charCodeAt(e - 1))) e--;
  if (e > s) out.push(s, e);
}

/** One list of sentence bounds for every segment of an analysis (emptied before each use). */
const bounds: number[] = [];

/** What a sentence yields without its position: cached by segment text. */
export interface SentenceInfo {
  text: string;
  /** Offset in the segment. */
  start: number;
  obligation: Obligation;
  recommended: boolean;
  subject?: { text: string; lead: number; roleId?: string };
  /** Terms the sentence defines (definitions.ts), found on first use. */
  terms?: TermMatch[];
  /** Cross-reference candidates of the sentence (references.ts), found on first use. */
  refs?: RawReference[];
}

function segmentSentences(text: string, findRole: (text: string) => string | undefined): SentenceInfo[] {
  bounds.length = 0;
  splitSegment(text, bounds);
  const infos: SentenceInfo[] = [];
  for (let i = 0; i < bounds.length; i += 2) {
    const sentence = text.slice(bounds[i], bounds[i + 1]);
    const info: SentenceInfo = { text: keep(sentence), start: bounds[i], obligation: obligationOf(sentence), recommended: sentence.includes(RECOMMENDED_MARK) };
    const m = mayHaveSubject(sentence) ? SUBJECT.exec(sentence) : null;
    if (m) info.subject = { text: keep(m[1]), lead: m[0].indexOf(m[1]), roleId: findRole(m[1]) };
    infos.push(info);
  }
  // Kept with the line: a copy of its own length (push() on an empty list reserves 17 places).
  return infos.slice();
}

function clauseOf(node: OutlineNode, text: string, start: number, marked: boolean, findRole: (text: string) => string | undefined): Clause {
  // `subject` present from the start (one shape for every clause: monomorphic readers).
  const clause: Clause = { text, span: { start, end: start + text.length }, node, obligation: obligationOf(text), recommendedMarker: marked || text.includes(RECOMMENDED_MARK), subject: undefined };
  const m = mayHaveSubject(text) ? SUBJECT.exec(text) : null;
  if (m) {
    const at = start + m[0].indexOf(m[1]);
    clause.subject = { text: m[1], span: { start: at, end: at + m[1].length }, roleId: findRole(m[1]) };
  }
  return clause;
}

/**
 * The clauses of the root and the nodes, in order. `infos` receives, for each clause, the cached facts of its
 * sentence (undefined in a one-shot analysis): definitions and references keep their text-only
 * findings there, so that after an edit only the sentences of changed blocks are scanned again.
 */
export function buildClauses(root: OutlineNode, nodes: OutlineNode[], findRole: (text: string) => string | undefined, infos?: (SentenceInfo | undefined)[]): Clause[] {
  const clauses: Clause[] = [];
  // Index loops: this runs over every segment on every keystroke (no iterator objects). The root first.
  for (let n = -1; n < nodes.length; n++) {
    const node = n < 0 ? root : nodes[n];
    const segments = node.segments;
    if (segments.length === 0) continue;
    const marked = isMarked(node);
    for (let k = 0; k < segments.length; k++) segmentClauses(node, segments[k], marked, findRole, clauses, infos);
  }
  return clauses;
}

/** The mark of a recommendation: in a sentence, or starting a node's title (then all its clauses). */
export const RECOMMENDED_MARK = '【推奨事項】';

/** The node's title marks all its clauses 【推奨事項】. */
export function isMarked(node: OutlineNode): boolean {
  return node.title.startsWith(RECOMMENDED_MARK);
}

/**
 * Appends the clauses of one segment of `node` to `clauses` (and their sentences to `infos`):
 * the segment's clauses from the previous analysis moved to where it is now, when its text, node
 * and mark are the same, else new ones.
 */
export function segmentClauses(node: OutlineNode, seg: TextSegment, marked: boolean, findRole: (text: string) => string | undefined, clauses: Clause[], infos?: (SentenceInfo | undefined)[]): void {
  // A segment is one line: its sentences are cached with the line (only changed blocks are read again).
  if (!seg.cache) {
    // One-shot analysis: straight to clauses.
    const t = seg.text;
    bounds.length = 0;
    splitSegment(t, bounds);
    for (let i = 0; i < bounds.length; i += 2) {
      const s = bounds[i], e = bounds[i + 1];
      clauses.push(clauseOf(node, t.slice(s, e), seg.offset + s, marked, findRole));
      infos?.push(undefined);
    }
    return;
  }
  const sentences = (seg.cache.sentences ??= segmentSentences(seg.text, findRole));
  const built = seg.built;
  if (built && built.sentences === sentences && built.node === node && built.marked === marked) {
    const list = built.clauses;
    if (list.length === 0) return;
    // Where the clauses are now against where they were made or last moved (their first sentence's start).
    const d = seg.offset + sentences[0].start - list[0].span.start;
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (d !== 0) shiftClause(c, d);
      clauses.push(c);
    }
    if (infos) for (let i = 0; i < sentences.length; i++) infos.push(sentences[i]);
    return;
  }
  const made: Clause[] = [];
  for (const s of sentences) {
    const start = seg.offset + s.start;
    const clause: Clause = {
      text: s.text,
      span: { start, end: start + s.text.length },
      node,
      obligation: s.obligation,
      recommendedMarker: marked || s.recommended,
      subject: undefined,
    };
    if (s.subject) {
      const at = start + s.subject.lead;
      clause.subject = { text: s.subject.text, span: { start: at, end: at + s.subject.text.length }, roleId: s.subject.roleId };
    }
    clauses.push(clause);
    made.push(clause);
    infos?.push(s);
  }
  seg.built = { sentences, node, marked, clauses: made.slice() };
}

/** Moves a clause by d characters (in place). */
export function shiftClause(c: Clause, d: number): void {
  c.span.start += d; c.span.end += d;
  if (c.subject) { c.subject.span.start += d; c.subject.span.end += d; }
}
