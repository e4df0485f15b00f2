/**
 * Incremental parsing: the text is cut into top-level blocks with a cheap line scanner, each
 * block is parsed on its own (remark, or a direct reading for plain paragraphs and headings),
 * and the per-block results are cached by content. After an edit only the changed blocks are
 * parsed again; the document's lines, tables, comments and code spans are the concatenation
 * of the blocks' results, shifted to their offsets.
 *
 * Why cutting is safe: a block starts at a line that begins in column 0 right after a blank
 * line. At such a line every container (list item, block quote) has ended, so parsing from
 * there gives the same tree as parsing the whole text — unless a leaf that may contain blank
 * lines is still open: a fenced code block or an HTML block (<!-- … -->, <pre> …). A block
 * whose tree ends in code or HTML is therefore joined with the next one and parsed again.
 * By induction every block starts in the same state as in a whole-document parse.
 */
import type { Root, RootContent } from 'mdast';
import { FRONT_MATTER, parseMarkdown } from '../parse';
import { extractLines, lineEnd, nextLine, type Extracted, type RawTable } from './lines';
import { carriedAt, keep, retaining } from '../memo';
import { textFacts, type TextFacts } from './metadata';
import { firstAtOrAfter } from './search';

export interface BlockResult {
  /** Extraction with offsets relative to the block start. */
  ex: Extracted;
  /** The block ends inside a fenced code or HTML block: it must be parsed together with the next one. */
  open: boolean;
  /** What metadata reads from the block's text (only when the Memo outlives the analysis). */
  facts?: TextFacts;
}

interface Cut { start: number; end: number }

/**
 * Candidate block starts: a line starting in column 0 (not a space or tab) right after a blank
 * line. With a range (patch.ts: is an edited block still one block?), only [from, to) is read and
 * front matter is not looked for. `stop`: the scan ends at the first cut it accepts, and the
 * last cut is that start with end -1 (the rest is known, see extractBlocks).
 */
export function cutBlocks(text: string, from?: number, to = text.length, stop?: (start: number) => boolean, crs?: boolean): Cut[] {
  const cuts: Cut[] = [];
  let blockStart = from ?? 0;
  let prevBlank = false;
  // Front matter may hold blank lines: never cut inside it.
  let pos = from ?? FRONT_MATTER.exec(text)?.[0].length ?? 0;
  const hasCR = crs ?? (from === undefined ? text.includes('\r') : true);
  while (pos < to) {
    const nl = lineEnd(text, pos, hasCR);
    const next = nextLine(text, nl);
    const first = text.charCodeAt(pos);
    let blank = true;
    for (let i = pos; i < nl; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9) { blank = false; break; }
    }
    if (!blank && prevBlank && first !== 32 && first !== 9 && pos > blockStart) {
      cuts.push({ start: blockStart, end: pos });
      blockStart = pos;
      // A cut resets the scan: what follows depends only on the text from here (extractBlocks).
      if (stop?.(pos)) { cuts.push({ start: pos, end: -1 }); return cuts; }
    }
    prevBlank = blank;
    pos = next;
  }
  cuts.push({ start: blockStart, end: to });
  return cuts;
}

/** Whether the last line of text[from, to) (to being a line start or the end) is blank. */
export function endsWithBlankLine(text: string, from: number, to: number): boolean {
  let i = to;
  if (text.charCodeAt(i - 1) === 10) i--;
  if (text.charCodeAt(i - 1) === 13) i--;
  for (; i > from; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** Characters that need the real parser: code, HTML, tables, escapes, NUL. */
const NEEDS_PARSER = /[`<|\\\0]/;
/** A thematic break (-, * or _ three times or more, spaces between). */
const BREAK = /^([-*_])[ \t]*(?:\1[ \t]*){2,}$/;
/*
 * The other line tests are char-code loops over the line in place (isBlank … atxDepth below; no
 * slice and no regex per line). As regexes on the line (blocks.test.ts compares them):
 *   blank          /^[ \t]*$/                              (rest of the block: /^[ \t\r\n]*$/)
 *   special start  /^(?:[ \t>~[]|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)])/   (a construct other than a paragraph or heading)
 *   underline      /^(?:=+|-+)[ \t]*$/                      (setext heading: = level 1, - level 2)
 *   ATX heading    /^#{1,6}(?=[ \t]|$)/
 */

/**
 * Reads a block made only of ATX headings and plain paragraphs without the parser. Returns
 * undefined when the block holds anything else (the parser then decides).
 */
export function readPlainBlock(text: string, offset = 0): Root | undefined {
  if (NEEDS_PARSER.test(text)) return undefined;
  const children: RootContent[] = [];
  let para: { start: number; end: number } | undefined;
  const flush = () => {
    if (para) children.push(node('paragraph', offset + para.start, offset + para.end));
    para = undefined;
  };
  let pos = 0;
  // Without \r, line ends are found by the native search (a loop over every character is slow
  // before the optimising compiler has run: a cold analysis reads each block once).
  const hasCR = text.includes('\r');
  // Char-code tests on the line in place (no slice per line; see isBlank … atxDepth): this runs for every line of a cold analysis.
  while (pos < text.length) {
    const nl = lineEnd(text, pos, hasCR);
    const next = nextLine(text, nl);
    if (isBlank(text, pos, nl)) {
      // Blank lines end a block; one inside a block only happens before an indented line,
      // which the parser must read.
      if (!isBlankRest(text, next)) return undefined;
      break;
    }
    if (isSpecialStart(text, pos, nl)) return undefined;
    const c0 = text.charCodeAt(pos);
    if (c0 === 0x3d /* = */ || c0 === 0x2d /* - */) {
      if (isUnderline(text, pos, nl)) {
        // Underlined paragraph lines are a heading (---- alone is a thematic break: the parser's).
        if (!para) return undefined;
        const h = node('heading', offset + para.start, offset + trimEnd(text, pos, nl)) as RootContent & { depth: number };
        h.depth = c0 === 0x3d ? 1 : 2;
        children.push(h);
        para = undefined;
        pos = next;
        continue;
      }
    }
    if ((c0 === 0x2d || c0 === 0x2a || c0 === 0x5f) && BREAK.test(text.slice(pos, nl))) return undefined;
    const depth = c0 === 0x23 /* # */ ? atxDepth(text, pos, nl) : 0;
    if (depth > 0) {
      flush();
      const h = node('heading', offset + pos, offset + nl) as RootContent & { depth: number };
      h.depth = depth;
      children.push(h);
    } else if (para) {
      para.end = trimEnd(text, pos, nl);
    } else {
      para = { start: pos, end: trimEnd(text, pos, nl) };
    }
    pos = next;
  }
  flush();
  return { type: 'root', children };
}

/** Closed front matter: the fences, the YAML between them (group 1), the closing fence's line end. */
const FRONT_MATTER_PARTS = /^---[ \t]*(?:\r\n|\r|\n)(?:([^]*?)(?:\r\n|\r|\n))??---[ \t]*(?=\r\n|\r|\n|$)/;

/**
 * The first block when it is closed front matter followed by plain text: read without the parser
 * (as remark-frontmatter reads it: a yaml node from the opening fence to the closing one).
 */
export function readFrontMatterBlock(text: string): Root | undefined {
  const m = FRONT_MATTER_PARTS.exec(text);
  const full = FRONT_MATTER.exec(text);
  if (!m || !full) return undefined;
  const rest = readPlainBlock(text.slice(full[0].length), full[0].length);
  if (!rest) return undefined;
  const yaml = { type: 'yaml', value: m[1] ?? '', position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 0, column: 0, offset: m[0].length } } } as unknown as RootContent;
  return { type: 'root', children: [yaml, ...rest.children] };
}

/** Blank: text[start, end) holds only spaces and tabs. */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) { const c = text.charCodeAt(i); if (c !== 32 && c !== 9) return false; }
  return true;
}

/** The rest of the block from `start` holds only spaces, tabs and line breaks. */
function isBlankRest(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) { const c = text.charCodeAt(i); if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false; }
  return true;
}

const isSpaceOrTab = (c: number) => c === 32 || c === 9;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Special start: the line text[start, end) (not empty) may open a construct other than a paragraph or heading. */
function isSpecialStart(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(start);
  if (c === 32 || c === 9 || c === 0x3e /* > */ || c === 0x7e /* ~ */ || c === 0x5b /* [ */) return true;
  if (c === 0x2d /* - */ || c === 0x2a /* * */ || c === 0x2b /* + */) return start + 1 === end || isSpaceOrTab(text.charCodeAt(start + 1));
  if (!isDigit(c)) return false;
  let i = start + 1;
  while (i < end && i - start < 9 && isDigit(text.charCodeAt(i))) i++;
  const d = i < end ? text.charCodeAt(i) : -1;
  return d === 0x2e /* . */ || d === 0x29 /* ) */;
}

/** Underline: the line text[start, end) is = or - repeated, then spaces or tabs. */
function isUnderline(text: string, start: number, end: number): boolean {
  const c0 = text.charCodeAt(start);
  let i = start;
  while (i < end && text.charCodeAt(i) === c0) i++;
  while (i < end && isSpaceOrTab(text.charCodeAt(i))) i++;
  return i === end;
}

/** ATX heading: the depth (1 to 6) the line text[start, end) opens, or 0. */
function atxDepth(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && text.charCodeAt(i) === 0x23) i++;
  const n = i - start;
  return n >= 1 && n <= 6 && (i === end || isSpaceOrTab(text.charCodeAt(i))) ? n : 0;
}

/** The line tests, for blocks.test.ts. */
export const plainLineTests = { isBlank, isBlankRest, isSpecialStart, isUnderline, atxDepth };

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return end;
}

function node(type: 'paragraph' | 'heading', start: number, end: number): RootContent {
  return { type, children: [], position: { start: { line: 0, column: 0, offset: start }, end: { line: 0, column: 0, offset: end } } } as unknown as RootContent;
}

/** Whether a block's tree ends in a leaf that may continue past a blank line. */
function endsOpen(root: Root): boolean {
  const last = root.children[root.children.length - 1];
  return !!last && (last.type === 'code' || last.type === 'html');
}

export interface BlockExtraction {
  ex: Extracted;
  blocks: number;
  parsed: number;
  /** The blocks' text facts, in order (when every block has them). */
  facts?: TextFacts[];
  /** The blocks in order, with their cached parses (for the next analysis, see patch.ts). */
  units: Unit[];
  /** With `previous`: for each line, its index in the previous extraction (the same object), or -1. */
  from?: Int32Array;
  /** With `previous`: the first line from which every line is the previous extraction's next one, up to the end of both (the common tail). */
  tailFrom?: number;
}

/** A block as parsed: [start, end) of the text (`cuts` > 1: blocks joined because a fence or HTML block ran on). */
export interface Unit { start: number; end: number; result: BlockResult; cuts: number }

/**
 * Where the previous analysis's blocks are: its units, how its text became this one, and its
 * extraction (document offsets), whose objects the blocks found again are moved from.
 */
export interface PreviousBlocks { units: Unit[]; prefix: number; suffixStart: number; delta: number; ex: Extracted }

/** Index of the previous analysis's unit for the range [start, end) of the new text, if the edit left it untouched; else -1. */
function previousUnit(prev: PreviousBlocks | undefined, start: number, end: number): number {
  if (!prev) return -1;
  let s = start, e = end;
  if (start >= prev.suffixStart) { s -= prev.delta; e -= prev.delta; } else if (end > prev.prefix) return -1;
  const k = unitAt(prev.units, s);
  // The first block is parsed as such (front matter): a unit moved to or from the start is not the same.
  if ((s === 0) !== (start === 0)) return -1;
  return k >= 0 && prev.units[k].end === e ? k : -1;
}

/**
 * How many of the previous units, from the first, the edit left alone and a fresh cut would make
 * again: those that end before the edit, at a cut that is still one (the character there, not
 * edited, starts a line that is not blank and not indented; the blank line before it is not
 * edited either). 0 when the first unit is not one of them, and while the text opens a front
 * matter that nothing closes: a '---' line made anywhere by the edit closes it there, and every
 * block before that becomes front matter.
 */
function keptHead(text: string, prev: PreviousBlocks): number {
  const units = prev.units;
  if (units.length > 0 && !units[0].result.ex.frontMatter && text.startsWith('---')) return 0;
  // The last unit that ends before the edit's first changed character (by one at least).
  const k = firstAtOrAfter(units, prev.prefix, (u) => u.end) - 1;
  if (k < 0) return 0;
  const c = text.charCodeAt(units[k].end);
  if (c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c)) return 0;
  return k + 1;
}

/** Index of the unit starting at `start`, or -1. */
function unitAt(units: Unit[], start: number): number {
  let lo = 0, hi = units.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = units[mid].start;
    if (s === start) return mid;
    if (s < start) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/** Where each previous unit's items start in the previous extraction's lists. */
interface Starts { lines: Int32Array; tables: Int32Array; comments: Int32Array; codeSpans: Int32Array; blocks: Int32Array }
function startsOf(units: Unit[]): Starts {
  const n = units.length;
  const st: Starts = { lines: new Int32Array(n), tables: new Int32Array(n), comments: new Int32Array(n), codeSpans: new Int32Array(n), blocks: new Int32Array(n) };
  let l = 0, t = 0, c = 0, k = 0, b = 0;
  for (let i = 0; i < n; i++) {
    st.lines[i] = l; st.tables[i] = t; st.comments[i] = c; st.codeSpans[i] = k; st.blocks[i] = b;
    const x = units[i].result.ex;
    l += x.lines.length; t += x.tables.length; c += x.comments.length; k += x.codeSpans.length; b += x.blocks.length;
  }
  return st;
}

/**
 * Moves the objects of previous units [k, end) (document offsets of the previous text) into `out`,
 * `d` characters further: the language server keeps lines, tables and spans of unchanged blocks
 * (and, in buildOutline, the nodes made of those lines). One unit matched again, or all the units
 * after the edit at once (they all move by its delta). Their items are consecutive in the previous
 * lists (one loop per list, not one per unit). `from` receives where their lines were (a run).
 */
function adopt(out: Extracted, prev: PreviousBlocks, starts: Starts, k: number, end: number, d: number, from: FromRuns): void {
  const ex = prev.ex;
  const upTo = (at: Int32Array, total: number) => (end < prev.units.length ? at[end] : total);
  // Every unit's lines land as many places from where they were as the first one's.
  const lineShift = out.lines.length - starts.lines[k];
  const lineEnd = upTo(starts.lines, ex.lines.length);
  from.push(out.lines.length, starts.lines[k], lineEnd - starts.lines[k]);
  for (let j = starts.lines[k]; j < lineEnd; j++) {
    const l = ex.lines[j];
    if (d !== 0) { l.start += d; l.end += d; }
    out.lines.push(l);
  }
  for (let j = starts.tables[k], to = upTo(starts.tables, ex.tables.length); j < to; j++) {
    const t = ex.tables[j];
    if (d !== 0) moveTable(t, d);
    t.afterLine += lineShift;
    out.tables.push(t);
  }
  for (let j = starts.comments[k], to = upTo(starts.comments, ex.comments.length); j < to; j++) {
    const c = ex.comments[j].span;
    if (d !== 0) { c.start += d; c.end += d; }
    out.comments.push(ex.comments[j]);
  }
  for (let j = starts.codeSpans[k], to = upTo(starts.codeSpans, ex.codeSpans.length); j < to; j++) {
    const c = ex.codeSpans[j];
    if (d !== 0) { c.start += d; c.end += d; }
    out.codeSpans.push(c);
  }
  for (let j = starts.blocks[k], to = upTo(starts.blocks, ex.blocks.length); j < to; j++) {
    const b = ex.blocks[j];
    if (d !== 0) { b.span.start += d; b.span.end += d; }
    b.afterLine += lineShift;
    out.blocks.push(b);
  }
  // Only the first unit holds front matter.
  if (k === 0 && prev.units[0].result.ex.frontMatter && !out.frontMatter && ex.frontMatter) {
    if (d !== 0) { ex.frontMatter.span.start += d; ex.frontMatter.span.end += d; }
    out.frontMatter = ex.frontMatter;
  }
}

/**
 * Where the lines of an extraction came from, as runs (flat triples: the first line's index now, its
 * index in the previous extraction or -1 for lines parsed anew, the number of lines); made into one
 * list of indexes at the end (fromIndexes) instead of growing a list by every line.
 */
type FromRuns = number[];

function fromIndexes(runs: FromRuns, lines: number): Int32Array {
  const from = new Int32Array(lines);
  for (let r = 0; r < runs.length; r += 3) {
    const at = runs[r], old = runs[r + 1], count = runs[r + 2];
    if (old < 0) from.fill(-1, at, at + count);
    else for (let j = 0; j < count; j++) from[at + j] = old + j;
  }
  return from;
}

/** Parses one block (or joined blocks) of `text` on its own; offsets relative to `start`. */
export function parseBlock(text: string, start: number, end: number): BlockResult {
  const first = start === 0;
  // Its own copy: what the cache keeps (lines' text) must not hold on to this version of the document.
  const blockText = keep(text.slice(start, end));
  const plain = readPlainBlock(blockText) ?? (first ? readFrontMatterBlock(blockText) : undefined);
  const root = plain ?? parseMarkdown(blockText, { frontMatter: first });
  return { ex: extractLines(blockText, root), open: !plain && endsOpen(root), facts: retaining() ? textFacts(blockText) : undefined };
}

/** A block's parse through the active Memo (by position, else by content). */
export function lookupBlock(text: string, start: number, end: number, onParse?: () => void): BlockResult {
  return carriedAt(start === 0 ? 'first-block' : 'block', text, start, end, () => {
    onParse?.();
    return parseBlock(text, start, end);
  });
}

/**
 * Extraction of the whole text, block by block, reusing the blocks of the previous version
 * (`previous`, else through the active Memo). Offsets in the result are document offsets.
 */
export function extractBlocks(text: string, previous?: PreviousBlocks): BlockExtraction {
  // After an edit: the scan stops at a block start after the edit that was a unit start before (shifted);
  // from there on the cuts are the previous ones, shifted (a cut resets the scan), and so are the units.
  // (Not the first unit: it is parsed as the first block, front matter and all.)
  let tail = -1;
  // Before the edit: the previous units that end before it are kept as they are (same text, same
  // offsets), and the cut starts where they end (see keptHead).
  const head = previous && retaining() ? keptHead(text, previous) : 0;
  const headEnd = head > 0 ? previous!.units[head - 1].end : undefined;
  const cuts = previous && retaining()
    ? cutBlocks(text, headEnd, text.length, (start) => { const m = start >= previous.suffixStart ? unitAt(previous.units, start - previous.delta) : -1; if (m > 0) tail = m; return m > 0; }, text.includes('\r'))
    : cutBlocks(text);
  if (tail >= 0) cuts.pop();
  const out: Extracted = { lines: [], tables: [], comments: [], codeSpans: [], blocks: [] };
  let parsed = 0;
  let count = 0;
  let facts: TextFacts[] | undefined = retaining() ? [] : undefined;
  const units: Unit[] = [];
  const from: FromRuns = [];
  if (head > 0) {
    // The kept units' items: the previous lists' start (binary search for where the unit after them starts).
    const p = previous!, ex = p.ex, end = headEnd!;
    out.lines = ex.lines.slice(0, firstAtOrAfter(ex.lines, end, (l) => l.start));
    out.tables = ex.tables.slice(0, firstAtOrAfter(ex.tables, end, (t) => t.span.start));
    out.comments = ex.comments.slice(0, firstAtOrAfter(ex.comments, end, (c) => c.span.start));
    out.codeSpans = ex.codeSpans.slice(0, firstAtOrAfter(ex.codeSpans, end, (c) => c.start));
    out.blocks = ex.blocks.slice(0, firstAtOrAfter(ex.blocks, end, (b) => b.span.start));
    if (ex.frontMatter && p.units[0].result.ex.frontMatter) out.frontMatter = ex.frontMatter;
    from.push(0, 0, out.lines.length);
    for (let i = 0; i < head; i++) {
      const u = p.units[i];
      units.push(u);
      count++;
      if (facts) { if (u.result.facts) facts.push(u.result.facts); else facts = undefined; }
    }
  }
  let starts: Starts | undefined;
  let k = -1;
  // A one-shot analysis (no previous blocks, no Memo kept) parses each block straight away.
  const direct = !previous && !retaining();
  const onParse = () => parsed++;
  const lookup = (start: number, end: number): BlockResult => {
    if (direct) { parsed++; return parseBlock(text, start, end); }
    k = previousUnit(previous, start, end);
    return k >= 0 ? previous!.units[k].result : lookupBlock(text, start, end, onParse);
  };
  for (let i = 0; i < cuts.length; i++) {
    const start = cuts[i].start;
    const first = i;
    let r = lookup(start, cuts[i].end);
    // An open fence or HTML block continues into the next block: parse them together.
    while (r.open) {
      // Into the kept tail (rare: an edit that opens a fence): cut the rest as usual.
      if (i + 1 === cuts.length && tail >= 0) { cuts.push(...cutBlocks(text, previous!.units[tail].start + previous!.delta)); tail = -1; }
      if (i + 1 === cuts.length) break;
      r = lookup(start, cuts[++i].end);
    }
    count++;
    if (retaining()) units.push({ start, end: cuts[i].end, result: r, cuts: i - first + 1 });
    if (k >= 0) {
      adopt(out, previous!, (starts ??= startsOf(previous!.units)), k, k + 1, start - previous!.units[k].start, from);
    } else {
      if (previous) from.push(out.lines.length, -1, r.ex.lines.length);
      append(out, r.ex, start, !retaining());
    }
    if (facts) { if (r.facts) facts.push(r.facts); else facts = undefined; }
    // The cuts stopped at the start of previous unit `tail` (shifted).
    if (i === cuts.length - 1 && tail >= 0) {
      const p = previous!;
      for (let m = tail; m < p.units.length; m++) {
        const u = p.units[m];
        count++;
        units.push({ start: u.start + p.delta, end: u.end + p.delta, result: u.result, cuts: u.cuts });
        if (facts) { if (u.result.facts) facts.push(u.result.facts); else facts = undefined; }
      }
      adopt(out, p, (starts ??= startsOf(p.units)), tail, p.units.length, p.delta, from);
    }
  }
  return { ex: out, blocks: count, parsed, facts, units, from: previous ? fromIndexes(from, out.lines.length) : undefined, tailFrom: previous ? commonTail(from, out.lines.length, previous.ex.lines.length) : undefined };
}

/**
 * The first line of the common tail of `runs` (lines [t, lines) are the previous lines
 * [t + shift, previousLines), in order), from the runs: the last run and those before it that
 * continue into it. `lines` when the last line is not the previous last line (no common tail).
 */
function commonTail(runs: FromRuns, lines: number, previousLines: number): number {
  // Runs of no lines say nothing: skipped (an empty unit adopts or parses no line).
  let r = runs.length - 3;
  while (r >= 0 && runs[r + 2] === 0) r -= 3;
  if (r < 0 || runs[r + 1] < 0 || runs[r] + runs[r + 2] !== lines || runs[r + 1] + runs[r + 2] !== previousLines) return lines;
  let t = runs[r], old = runs[r + 1];
  for (r -= 3; r >= 0; r -= 3) {
    const at = runs[r], from = runs[r + 1], count = runs[r + 2];
    if (count === 0) continue;
    if (from < 0 || at + count !== t || from + count !== old) break;
    t = at; old = from;
  }
  return t;
}

/**
 * Appends a block's extraction at `offset`. A cached block is shared with later analyses and is
 * copied; a block parsed for this analysis only (`owned`) has its lines moved in place.
 */
function append(out: Extracted, ex: Extracted, offset: number, owned: boolean): void {
  const lineBase = out.lines.length;
  if (owned) {
    for (const l of ex.lines) { l.start += offset; l.end += offset; out.lines.push(l); }
  } else {
    // A literal rather than a spread: this runs for every line of the document on every edit.
    for (const l of ex.lines) out.lines.push({ kind: l.kind, headingDepth: l.headingDepth, start: l.start + offset, end: l.end + offset, text: l.text, orderedBullet: l.orderedBullet, cache: l.cache });
  }
  for (const t of ex.tables) {
    out.tables.push({
      span: shift(t.span, offset),
      rows: t.rows.map((r) => ({ span: shift(r.span, offset), cells: r.cells.map((c) => ({ text: c.text, span: shift(c.span, offset) })) })),
      afterLine: t.afterLine + lineBase,
    });
  }
  for (const c of ex.comments) out.comments.push({ text: c.text, span: shift(c.span, offset) });
  for (const c of ex.codeSpans) out.codeSpans.push(shift(c, offset));
  for (const b of ex.blocks) out.blocks.push({ span: shift(b.span, offset), afterLine: b.afterLine + lineBase });
  if (ex.frontMatter && !out.frontMatter) out.frontMatter = { value: ex.frontMatter.value, span: shift(ex.frontMatter.span, offset) };
}

/** A block's extraction at `offset` of the document (copies; table and block `afterLine` relative to the block). */
export function placed(ex: Extracted, offset: number): Extracted {
  const out: Extracted = { lines: [], tables: [], comments: [], codeSpans: [], blocks: [] };
  append(out, ex, offset, false);
  return out;
}

/** Moves a table, its rows and cells by `d` characters (in place). */
export function moveTable(t: RawTable, d: number): void {
  const move = (s: { start: number; end: number }) => { s.start += d; s.end += d; };
  move(t.span);
  for (const row of t.rows) { move(row.span); for (const c of row.cells) move(c.span); }
}

function shift(s: { start: number; end: number }, offset: number): { start: number; end: number } {
  return { start: s.start + offset, end: s.end + offset };
}
