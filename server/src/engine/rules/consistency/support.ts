/**
 * Shared by the consistency rules: the prose of a document (sentences, heading titles, table
 * cells — never code or comments), scanning it, quotation detection, and minimal edits.
 */
import { lineStartOf, overlapsCode } from '../../model/document';
import type { PolicyDocument } from '../../model/types';
import type { Span } from '../../text';
import type { Finding, RuleContext, TextEdit } from '../../types';
import { keep, latest, memoizedAt, retaining } from '../../memo';
import { AnalysisCache } from '../../analysis-cache';

/**
 * A piece of prose: its text, and where it is. The place is kept relative to a frame (the chunk
 * the region belongs to, see chunksOf), so that moving a chunk after an edit moves its regions
 * without a write per region.
 */
export class Region {
  constructor(public text: string, public rel: number, public frame: { base: number }) {}
  get offset(): number { return this.frame.base + this.rel; }
}

/** The frame of regions placed by absolute offset. */
const ORIGIN = { base: 0 } as const;

const regionCache = new AnalysisCache<PolicyDocument, Region[]>();

/** Sentences, heading titles and table cells, in document order and without overlaps. */
export function textRegions(doc: PolicyDocument): Region[] {
  let regions = regionCache.get(doc);
  if (regions) return regions;
  if (retaining() || chunkCache.has(doc)) {
    // The regions are made and kept with the chunks (see chunksOf).
    regions = [];
    for (const chunk of chunksOf(doc)) for (const r of chunk.regions) regions.push(r);
  } else {
    // One walk over the model's lists, checking their order on the way; sorted copies if one is out of order.
    regions = [];
    let walk = new Walk(doc, doc.text);
    walk.check = true;
    for (let r = walk.take(); r; r = walk.take()) regions.push(r);
    if (!walk.sorted) {
      regions = [];
      walk = new Walk(sortedCopies(doc), doc.text);
      for (let r = walk.take(); r; r = walk.take()) regions.push(r);
    }
  }
  regionCache.set(doc, regions);
  return regions;
}

/** What regions are made of: clause spans, heading title spans and table cell spans. */
interface Lists {
  clauses: readonly { span: Span }[];
  nodes: readonly { kind: string; titleSpan: Span }[];
  tables: readonly { rows: readonly { cells: readonly { span: Span }[] }[] }[];
}

const bySpan = (a: Span, b: Span) => a.start - b.start || b.end - a.end;

/** A heading with a title: its title is a region. */
const isTitled = (n: { kind: string; titleSpan: Span }) => n.kind === 'heading' && n.titleSpan.end > n.titleSpan.start;

/** Sorted copies of the model's spans (a list found out of order is sorted: equal spans give equal regions). */
function sortedCopies(doc: PolicyDocument): Lists {
  const headings: { kind: string; titleSpan: Span }[] = doc.nodes.filter(isTitled);
  const cells: { span: Span }[] = [];
  for (const t of doc.tables) for (const r of t.rows) for (const cell of r.cells) if (cell.span.end > cell.span.start) cells.push(cell);
  const order = (a: { span: Span }, b: { span: Span }) => bySpan(a.span, b.span);
  return {
    clauses: [...doc.clauses].sort(order),
    nodes: headings.sort((a, b) => bySpan(a.titleSpan, b.titleSpan)),
    tables: [{ rows: [{ cells: cells.sort(order) }] }],
  };
}

/**
 * A walk over the three lists merged in document order (bySpan; on equal spans clauses first,
 * then headings, then cells): take() gives the next region, skipping spans that overlap the
 * region before. Where it is (c, n, t, row, cell: the next item of each list) can be saved and
 * resumed (chunks record it).
 */
class Walk {
  c = 0; n = 0; t = 0; row = 0; cell = 0;
  /** End of the last region taken (a span starting before it is skipped). */
  end = -1;
  /** Compare each item with the one before it in its list (sorted turns false when one is out of order). */
  check = false;
  sorted = true;
  private lastC: Span | undefined;
  private lastH: Span | undefined;
  private lastT: Span | undefined;
  constructor(readonly lists: Lists, readonly text: string) {}

  /** The next heading title span (from node n on), non-empty. */
  private heading(): Span | undefined {
    const nodes = this.lists.nodes;
    while (this.n < nodes.length) {
      const node = nodes[this.n];
      if (node.kind === 'heading' && node.titleSpan.end > node.titleSpan.start) return node.titleSpan;
      this.n++;
    }
    return undefined;
  }

  /** The next non-empty table cell span. */
  private tableCell(): Span | undefined {
    const tables = this.lists.tables;
    while (this.t < tables.length) {
      const rows = tables[this.t].rows;
      while (this.row < rows.length) {
        const cells = rows[this.row].cells;
        while (this.cell < cells.length) {
          const s = cells[this.cell].span;
          if (s.end > s.start) return s;
          this.cell++;
        }
        this.row++;
        this.cell = 0;
      }
      this.t++;
      this.row = 0;
    }
    return undefined;
  }

  /** The next item's span (see next()), consumed; undefined at the end. */
  skip(): Span | undefined {
    const clauses = this.lists.clauses;
    const c = this.c < clauses.length ? clauses[this.c].span : undefined;
    const h = this.heading();
    const t = this.tableCell();
    let s: Span;
    if (c && (!h || bySpan(c, h) <= 0) && (!t || bySpan(c, t) <= 0)) {
      s = c; this.c++;
      if (this.check) { if (this.lastC && bySpan(this.lastC, s) > 0) this.sorted = false; this.lastC = s; }
    } else if (h && (!t || bySpan(h, t) <= 0)) {
      s = h; this.n++;
      if (this.check) { if (this.lastH && bySpan(this.lastH, s) > 0) this.sorted = false; this.lastH = s; }
    } else if (t) {
      s = t; this.cell++;
      if (this.check) { if (this.lastT && bySpan(this.lastT, s) > 0) this.sorted = false; this.lastT = s; }
    } else return undefined;
    return s;
  }

  /**
   * The next region (placed by absolute offset), or undefined at the end. Its text is a slice of
   * the text: a chunk made of it replaces it with a copy (see makeChunk), one-shot analyses keep it.
   */
  take(): Region | undefined {
    for (let s = this.skip(); s; s = this.skip()) {
      if (s.start < this.end) continue;
      this.end = s.end;
      return new Region(this.text.slice(s.start, s.end), s.start, ORIGIN);
    }
    return undefined;
  }

  /** Where the walk is: at the next item of each list (one way of writing each place, whatever was skipped to get there). */
  save(): Int32Array {
    this.heading();
    this.tableCell();
    return Int32Array.of(this.c, this.n, this.t, this.row, this.cell);
  }

  /** Continues from a saved place, after a region that ended at `end`. */
  resume(at: Int32Array, end: number): void {
    this.c = at[0]; this.n = at[1]; this.t = at[2]; this.row = at[3]; this.cell = at[4];
    this.end = end;
    if (!this.check) return;
    // The items before the place, to compare the next ones with.
    const clauses = this.lists.clauses;
    this.lastC = this.c > 0 ? clauses[this.c - 1].span : undefined;
    this.lastH = undefined;
    for (let k = this.n - 1; k >= 0; k--) {
      const node = this.lists.nodes[k];
      if (node.kind === 'heading' && node.titleSpan.end > node.titleSpan.start) { this.lastH = node.titleSpan; break; }
    }
    this.lastT = undefined;
    const tables = this.lists.tables;
    for (let t = Math.min(this.t, tables.length - 1), row = t === this.t ? this.row : Infinity, cell = t === this.t && row === this.row ? this.cell : Infinity; t >= 0 && !this.lastT; t--, row = Infinity, cell = Infinity) {
      const rows = tables[t].rows;
      for (let r = Math.min(row, rows.length - 1); r >= 0 && !this.lastT; r--, cell = Infinity) {
        const cells = rows[r].cells;
        for (let k = Math.min(cell - 1, cells.length - 1); k >= 0; k--) if (cells[k].span.end > cells[k].span.start) { this.lastT = cells[k].span; break; }
      }
    }
  }

  /** Whether the next item of each list comes after the region (bySpan; equal is not after). */
  aheadOf(r: Region): boolean {
    const s = { start: r.offset, end: r.offset + r.text.length };
    const clauses = this.lists.clauses;
    if (this.c < clauses.length && bySpan(clauses[this.c].span, s) <= 0) return false;
    const save = [this.n, this.t, this.row, this.cell];
    const h = this.heading(), t = this.tableCell();
    [this.n, this.t, this.row, this.cell] = save;
    return !(h && bySpan(h, s) <= 0) && !(t && bySpan(t, s) <= 0);
  }

  /** Whether the next item of each list comes after the last one taken from it (see resume; with check on). */
  inOrderAhead(): boolean {
    const clauses = this.lists.clauses;
    if (this.lastC && this.c < clauses.length && bySpan(this.lastC, clauses[this.c].span) > 0) return false;
    const save = [this.n, this.t, this.row, this.cell];
    const h = this.heading(), t = this.tableCell();
    [this.n, this.t, this.row, this.cell] = save;
    return !(this.lastH && h && bySpan(this.lastH, h) > 0) && !(this.lastT && t && bySpan(this.lastT, t) > 0);
  }
}

export interface Hit {
  start: number;
  end: number;
  text: string;
  /** Inside 「」/『』 or a block quote: a mention of someone else's wording, not the document's own. */
  quoted: boolean;
  region: Region;
}

/** Regions joined by line breaks, so that one regex run covers many of them. */
interface Joined { text: string; starts: number[] }

function join(regions: Region[]): Joined {
  const starts: number[] = [];
  let at = 0;
  for (const r of regions) { starts.push(at); at += r.text.length + 1; }
  return { text: regions.map((r) => r.text).join('\n'), starts };
}

const joinedCache = new AnalysisCache<PolicyDocument, Joined>();
export function joinedRegions(doc: PolicyDocument): Joined {
  let j = joinedCache.get(doc);
  if (!j) { j = join(textRegions(doc)); joinedCache.set(doc, j); }
  return j;
}

/** Index of the region that holds position `pos` of the joined text. */
export function regionIndexAt(j: Joined, pos: number): number {
  let lo = 0, hi = j.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (j.starts[mid] <= pos) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/**
 * Whether a regex finds the same matches in regions joined by \n as in each region alone: it
 * must not be able to match or test a line break (anchors, \s, \W, \D, negated classes,
 * property escapes, the s flag). Matches that cross a region boundary are checked as well.
 */
export function joinSafe(re: RegExp): boolean {
  return !re.flags.includes('s') && !/\^|\$|\\[sWDpPnrbB]|\[\^/.test(re.source);
}

/**
 * Matches of a global regex in each region (index of the region, region-local match): one run
 * over the joined text when that gives the same result, else region by region.
 */
function matchRegions(regions: Region[], joined: () => Joined, re: RegExp, visit: (i: number, m: RegExpExecArray) => void): void {
  if (joinSafe(re)) {
    const j = joined();
    const found: [number, RegExpExecArray][] = [];
    let crossed = false;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(j.text))) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      const i = regionIndexAt(j, m.index);
      if (m.index + m[0].length > j.starts[i] + regions[i].text.length) { crossed = true; break; }
      m.index -= j.starts[i];
      found.push([i, m]);
    }
    if (!crossed) {
      for (const [i, match] of found) visit(i, match);
      return;
    }
  }
  regions.forEach((region, i) => {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(region.text))) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      visit(i, m);
    }
  });
}


/**
 * Incremental scanning. The regions are grouped into chunks of a few kilobytes whose boundaries
 * depend only on nearby content (a chunk ends after a region whose text hashes to 0 mod 8, once
 * it holds CHUNK_MIN characters), so that an edit changes one chunk and leaves the others, and
 * their boundaries, as they were. What a scan finds in a chunk depends only on the text of the
 * lines its regions are on, the regions' places in it and the code spans there: that is the
 * chunk's cache key, and its results are kept with chunk-relative offsets.
 */
export interface Chunk {
  regions: Region[];
  /** Offset of the start of the first region's line: results are kept relative to it. */
  base: number;
  /** End of the last region's line. The key is the text [base, end) plus `extra` (the regions' places, code spans). */
  end: number;
  extra: string;
  joined: () => Joined;
  /** The chunk's entry in the active Memo (looked up once per analysis: keys are long). */
  results?: Map<string, unknown>;
  /** The regions' offsets relative to `base`, and the code part of `extra` (to recognise the chunk after an edit). */
  places?: Int32Array;
  code?: string;
  /** Its index in the list of the last analysis that used it. */
  index?: number;
  /** Where the walk over the model's lists was before its first region (Walk.save), and the end of the region before it, relative to `base`. */
  at?: Int32Array;
  lead?: number;
}

/**
 * One analysis's chunks and the model's lists they were made of: the next analysis compares its
 * lists with these by identity (the model keeps its objects from one analysis to the next) to
 * find the chunks it can take as they are. Only the previous analysis's state is kept.
 */
interface ChunkState { list: Chunk[]; clauses: readonly unknown[]; nodes: readonly unknown[]; rows: readonly unknown[]; sorted: boolean }

const CHUNK_MIN = 4096;
const CHUNK_MAX = 65536;
const chunkCache = new AnalysisCache<PolicyDocument, Chunk[]>();

function cutHere(text: string): boolean {
  let h = text.length;
  for (let i = 0; i < text.length && i < 24; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h & 7) === 0;
}

export function chunksOf(doc: PolicyDocument): Chunk[] {
  let chunks = chunkCache.get(doc);
  if (chunks) return chunks;
  if (!retaining()) {
    // A one-shot analysis reuses nothing: the whole prose is one chunk, scanned in one run.
    chunks = [{ regions: textRegions(doc), base: 0, end: doc.text.length, extra: '', joined: () => joinedRegions(doc) }];
  } else chunks = chunksKept(doc);
  chunkCache.set(doc, chunks);
  return chunks;
}

/** The state each retained analysis's chunks were made with (see proseInOrder). */
const inOrder = new AnalysisCache<PolicyDocument, ChunkState>();

/**
 * Whether the model's clauses, headings and cells are each in document order (bySpan): known with
 * a retained Memo from the chunks (checked where they were made anew); false otherwise.
 */
export function proseInOrder(doc: PolicyDocument): boolean {
  if (!retaining() && !chunkCache.has(doc)) return false;
  chunksOf(doc);
  return inOrder.get(doc)?.sorted ?? false;
}

/** How many items two lists share (the same objects) at the front, and at the back. */
function sameFront(a: readonly unknown[], b: readonly unknown[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
function sameBack(a: readonly unknown[], b: readonly unknown[], front: number): number {
  // All the same: nothing to compare again. Else the back part ends where the front one does (objects are not repeated in a list).
  if (a.length === b.length && front === a.length) return front;
  const n = Math.min(a.length, b.length) - front;
  const da = a.length - 1, db = b.length - 1;
  let k = 0;
  while (k < n && a[da - k] === b[db - k]) k++;
  return k;
}

/** Lexicographic order of two walk places (chunks' places grow in every part, in list order). */
function comparePlaces(a: Int32Array, b: ArrayLike<number>): number {
  for (let i = 0; i < 5; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The chunks of a language server's analysis. The chunks of the previous analysis whose items
 * (clauses, headings, cells) are the same objects and whose lines lie wholly before the edit are
 * taken as they are; so are those wholly after it (moved: their regions move with them); the
 * walk over the lists makes the chunks in between, and stops where it meets a previous chunk's
 * first item at a chunk boundary. Work per edit: the edited chunks, plus a comparison of the
 * lists by identity and a look at each chunk.
 */
function chunksKept(doc: PolicyDocument): Chunk[] {
  const text = doc.text;
  const rows = doc.tables.map((t) => t.rows);
  // The headings alone: outline items made anew (a rebuilt outline) do not make their prose new.
  const headings = doc.nodes.filter(isTitled);
  let previous: { value: ChunkState; prefix: number; suffixStart: number; delta: number } | undefined;
  let made = false;
  const state = latest<ChunkState>('chunks', text, (old) => {
    previous = old;
    made = true;
    return { list: [], clauses: doc.clauses, nodes: headings, rows, sorted: true };
  });
  inOrder.set(doc, state);
  if (!made) return state.list;
  const old = previous?.value.sorted ? previous.value : undefined;
  const code = sortedCode(doc.codeSpans);
  const codeIn = (base: number, end: number) => codeNear(code, text.length, base, end);
  let chunks = build(doc, state, code, codeIn, old && previous, rows);
  if (!chunks) {
    // A list out of order: sorted copies, every chunk made anew (the next analysis checks again).
    state.sorted = false;
    chunks = build(doc, state, code, codeIn, undefined, rows)!;
  }
  state.list.push(...chunks);
  return state.list;
}

function build(doc: PolicyDocument, state: ChunkState, code: Span[], codeIn: (base: number, end: number) => string, previous: { value: ChunkState; prefix: number; suffixStart: number; delta: number } | undefined, rows: readonly unknown[]): Chunk[] | undefined {
  const text = doc.text;
  const chunks: Chunk[] = [];
  const lists: Lists = state.sorted ? { clauses: doc.clauses, nodes: state.nodes as Lists['nodes'], tables: doc.tables } : sortedCopies(doc);
  const walk = new Walk(lists, text);
  walk.check = state.sorted;
  const old = previous?.value;
  const ol = old?.list ?? [];
  // The items the lists share with the previous analysis's, at the front and at the back.
  let fC = 0, fN = 0, fT = 0, bC = 0, bN = 0, bT = 0;
  if (old) {
    fC = sameFront(doc.clauses, old.clauses); bC = sameBack(doc.clauses, old.clauses, fC);
    fN = sameFront(state.nodes, old.nodes); bN = sameBack(state.nodes, old.nodes, fN);
    fT = sameFront(rows, old.rows); bT = sameBack(rows, old.rows, fT);
  }
  const nC = doc.clauses.length, nN = state.nodes.length, nT = rows.length;
  const dC = old ? nC - old.clauses.length : 0, dN = old ? nN - old.nodes.length : 0, dT = old ? nT - old.rows.length : 0;
  const take = (chunk: Chunk, base: number, end: number) => {
    chunk.base = base;
    chunk.end = end;
    // Looked up again (by position: cheap), so that the Memo keeps the entry for later analyses.
    chunk.results = undefined;
    chunk.index = chunks.length;
    chunks.push(chunk);
  };
  /** The end of a chunk's last region. */
  const lastEnd = (chunk: Chunk) => { const r = chunk.regions[chunk.regions.length - 1]; return r.offset + r.text.length; };

  // The previous chunks from the front: lines before the edit, items the same objects (every item
  // before the next chunk's place, whose items are the same objects, is one of the front ones).
  let front = 0;
  if (previous) {
    const { prefix } = previous;
    while (front < ol.length - 1) {
      const chunk = ol[front], next = ol[front + 1].at!;
      if (chunk.end >= prefix || next[0] > fC || next[1] > fN || (next[3] === 0 && next[4] === 0 ? next[2] > fT : next[2] >= fT)) break;
      if (codeIn(chunk.base, chunk.end) !== chunk.code) break;
      front++;
    }
    // Where the walk goes on, the next item of each list must come after the last region taken
    // (an item made by the edit could come earlier): else one chunk less.
    for (; front > 0; front--) {
      walk.resume(ol[front].at!, lastEnd(ol[front - 1]));
      if (walk.aheadOf(ol[front - 1].regions[ol[front - 1].regions.length - 1])) break;
    }
    for (let k = 0; k < front; k++) take(ol[k], ol[k].base, ol[k].end);
  }
  if (front === 0) walk.resume(new Int32Array(5), -1);

  /** At a chunk boundary: the previous chunks from here on, moved, when the rest of the lists is theirs; the place to go on from (undefined: done). */
  const takeBack = (): { at: Int32Array; end: number } | undefined | false => {
    if (!previous) return false;
    const at = walk.save();
    if (at[0] < nC - bC || at[1] < nN - bN || at[2] < nT - bT) return false;
    const oldAt = [at[0] - dC, at[1] - dN, at[2] - dT, at[3], at[4]];
    // The previous chunk that started at that place (binary search: places grow along the list).
    let lo = 0, hi = ol.length - 1, j = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = comparePlaces(ol[mid].at!, oldAt);
      if (c === 0) { j = mid; break; }
      if (c < 0) lo = mid + 1; else hi = mid - 1;
    }
    if (j < 0 || !walk.inOrderAhead()) return false;
    const { suffixStart, delta } = previous;
    const first = ol[j];
    // Its lines and the line break before them come after the edit (in the previous text), and the region before it ends where it did.
    if (first.base - 1 < suffixStart - delta || first.lead! + first.base + delta !== walk.end) return false;
    for (let k = j; k < ol.length; k++) {
      const chunk = ol[k];
      const base = chunk.base + delta, end = chunk.end + delta;
      if (codeIn(base, end) !== chunk.code) {
        // Made anew from here on (its place in the lists moved with them).
        if (k === j) return false;
        const p = chunk.at!;
        return { at: Int32Array.of(p[0] + dC, p[1] + dN, p[2] + dT, p[3], p[4]), end: chunk.lead! + base };
      }
      const p = chunk.at!;
      p[0] += dC; p[1] += dN; p[2] += dT;
      take(chunk, base, end);
    }
    return undefined;
  };

  let pending: Region[] = [];
  let size = 0;
  let at = walk.save();
  let startEnd = walk.end;
  for (let r = walk.take(); r; r = walk.take()) {
    pending.push(r);
    size += r.text.length;
    if ((size >= CHUNK_MIN && cutHere(r.text)) || size >= CHUNK_MAX) {
      chunks.push(makeChunk(doc, pending, at, startEnd, codeIn, chunks.length));
      pending = [];
      size = 0;
      const back = takeBack();
      if (back === undefined) break;
      if (back) walk.resume(back.at, back.end);
      at = walk.save();
      startEnd = walk.end;
    }
  }
  if (pending.length) chunks.push(makeChunk(doc, pending, at, startEnd, codeIn, chunks.length));
  return walk.sorted ? chunks : undefined;
}

/** A chunk of new regions (placed by absolute offset until now: from here on relative to the chunk). */
function makeChunk(doc: PolicyDocument, list: Region[], at: Int32Array, startEnd: number, codeIn: (base: number, end: number) => string, index: number): Chunk {
  const text = doc.text;
  const base = lineStart(doc, list[0].rel);
  const lastRegion = list[list.length - 1];
  const nl = text.indexOf('\n', lastRegion.rel + lastRegion.text.length);
  const end = nl < 0 ? text.length : nl;
  const codeHere = codeIn(base, end);
  // Each region's place as two 16-bit halves of its relative offset and of its length.
  const places = new Int32Array(list.length);
  const codes: number[] = [];
  for (let k = 0; k < list.length; k++) {
    const r = list[k];
    const o = r.rel - base, n = r.text.length;
    places[k] = o;
    codes.push(o >>> 16, o & 0xffff, n >>> 16, n & 0xffff);
  }
  let layout = '';
  for (let k = 0; k < codes.length; k += 8192) layout += String.fromCharCode(...codes.slice(k, k + 8192));
  const chunk: Chunk = { regions: list, base, end, extra: `${layout}\u0000${codeHere}`, joined: lazyJoin(list), places, code: codeHere, index, at, lead: startEnd - base };
  // The regions outlive this version of the text: their texts become slices of one copy of the chunk's lines.
  const lines = keep(text.slice(base, end));
  for (let k = 0; k < list.length; k++) {
    const r = list[k];
    r.text = lines.slice(places[k], places[k] + r.text.length);
    r.rel = places[k];
    r.frame = chunk;
  }
  return chunk;
}

/** The code spans in order of start (the model's list, or a sorted copy when it is not in order). */
function sortedCode(spans: Span[]): Span[] {
  for (let i = 1; i < spans.length; i++) if (spans[i - 1].start > spans[i].start) return [...spans].sort((a, b) => a.start - b.start);
  return spans;
}

/**
 * Code spans that touch the lines [base, end] (a code block left open runs to the end of the
 * text), relative to base: the code part of a chunk's key. Code spans do not overlap: in order
 * of start, they are in order of end too.
 */
function codeNear(code: Span[], length: number, base: number, end: number): string {
  // The first span starting after `end`; those before it that reach `base` are the ones.
  let lo = 0, hi = code.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (code[mid].start <= end) lo = mid + 1; else hi = mid;
  }
  let k = lo;
  while (k > 0 && (code[k - 1].end >= base || code[k - 1].end === length)) k--;
  let out = '';
  for (; k < lo; k++) out += `${out ? ',' : ''}${code[k].start - base}:${code[k].end === length ? 'end' : code[k].end - base}`;
  return out;
}

/**
 * The regions joined on first use. A function of its own: a closure made inside chunksOf() would
 * keep that analysis's document alive for as long as the chunk is kept (chunks outlive analyses).
 */
function lazyJoin(list: Region[]): () => Joined {
  let joined: Joined | undefined;
  return () => (joined ??= join(list));
}


/**
 * `compute(chunk)` for every chunk, cached per chunk under `name` (one cache entry per chunk holds
 * the results of every name). Results must not depend on anything outside the chunk's key.
 */
export function perChunk<T>(doc: PolicyDocument, name: string, compute: (chunk: Chunk) => T): { chunk: Chunk; value: T }[] {
  return chunksOf(doc).map((chunk) => ({ chunk, value: chunkValue(doc, chunk, name, compute) }));
}

/**
 * `compute(chunk)` cached under `name` with the chunk: in the Memo when it outlives the analysis,
 * else only on the chunk (so that per-chunk results built from other per-chunk results, such as
 * scans, do not scan twice in a one-shot analysis).
 */
export function chunkValue<T>(doc: PolicyDocument, chunk: Chunk, name: string, compute: (chunk: Chunk) => T): T {
  const byName = (chunk.results ??= retaining()
    ? memoizedAt('chunk', doc.text, chunk.base, chunk.end, chunk.extra, () => new Map<string, unknown>())
    : new Map<string, unknown>());
  let value = byName.get(name) as T | undefined;
  if (value === undefined) { value = compute(chunk); byName.set(name, value); }
  return value;
}

/** Counts by name, as a chunk adds them to the document's totals (see chunkTotals). */
export type Counts = readonly (readonly [string, number])[];

interface Totals { chunks: Chunk[]; values: Counts[]; totals: Map<string, number> }

/**
 * The sum over the document's chunks of what `count(chunk)` gives (cached with each chunk), with
 * names whose sum is 0 left out. With a retained Memo the previous analysis's sums are updated:
 * the chunks it had and this one has not are taken out, the new ones added (chunks that stay are
 * the same objects, with the same counts), so that an edit costs the edited chunks, not a pass over
 * every chunk's counts.
 */
export function chunkTotals(doc: PolicyDocument, name: string, count: (chunk: Chunk) => Counts): ReadonlyMap<string, number> {
  return perDocument(doc, `totals:${name}`, () => {
    const chunks = chunksOf(doc);
    const values = chunks.map((chunk) => chunkValue(doc, chunk, name, count));
    const add = (totals: Map<string, number>, counts: Counts, sign: number) => {
      for (const [key, n] of counts) {
        const sum = (totals.get(key) ?? 0) + sign * n;
        if (sum === 0) totals.delete(key); else totals.set(key, sum);
      }
    };
    return latest<Totals>(`totals:${name}`, doc.text, (old) => {
      const prev = old?.value;
      if (!prev) {
        const totals = new Map<string, number>();
        for (const v of values) add(totals, v, 1);
        return { chunks, values, totals };
      }
      // Changed in place: the previous analysis's state is not read again.
      const totals = prev.totals;
      const now = new Set(chunks), before = new Set(prev.chunks);
      for (let i = 0; i < prev.chunks.length; i++) if (!now.has(prev.chunks[i])) add(totals, prev.values[i], -1);
      for (let i = 0; i < chunks.length; i++) if (!before.has(chunks[i])) add(totals, values[i], 1);
      return { chunks, values, totals };
    }).totals;
  });
}

/** A hit relative to its chunk: region index in the chunk, offset in the region. */
export interface ChunkHit { r: number; index: number; text: string; quoted: boolean }

/**
 * Text every match of `re` holds: the longest run of plain characters outside groups, classes and
 * escapes, none of them optional, in a pattern without alternatives at the top (and without the i
 * flag). A text without it has no match: a chunk whose prose lacks it is not scanned. Undefined
 * when there is no such run.
 */
export function requiredText(re: RegExp): string | undefined {
  let found = requiredTexts.get(re);
  if (found === undefined) { found = requiredRun(re) ?? ''; requiredTexts.set(re, found); }
  return found || undefined;
}
const requiredTexts = new WeakMap<RegExp, string>();

function requiredRun(re: RegExp): string | undefined {
  if (re.flags.includes('i')) return undefined;
  const src = re.source;
  let depth = 0, best = '', run = '';
  const flush = () => { if (run.length > best.length) best = run; run = ''; };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      // An escape (a class, an anchor, a code point, a back reference …): ends the run, skipped whole.
      flush();
      const next = src[++i];
      if ((next === 'u' || next === 'p' || next === 'P' || next === 'k') && src[i + 1] === '{' || (next === 'k' && src[i + 1] === '<')) i = src.indexOf(next === 'k' && src[i + 1] === '<' ? '>' : '}', i);
      else if (next === 'u') i += 4;
      else if (next === 'x') i += 2;
      else if (next === 'c') i += 1;
      if (i < 0) return undefined;
      continue;
    }
    if (ch === '[') {
      flush();
      for (i++; i < src.length && src[i] !== ']'; i++) if (src[i] === '\\') i++;
      continue;
    }
    if (ch === '(') { depth++; flush(); continue; }
    if (ch === ')') { depth--; flush(); continue; }
    if (ch === '|') { if (depth === 0) return undefined; continue; }
    if (depth > 0) continue;
    if (ch === '?' || ch === '*' || ch === '{') {
      // The character before may be absent ({n,m} is taken as possibly {0,…}).
      run = run.slice(0, -1);
      flush();
      if (ch === '{') { i = src.indexOf('}', i); if (i < 0) return undefined; }
      continue;
    }
    if (ch === '+' || ch === '.' || ch === '^' || ch === '$') { flush(); continue; }
    run += ch;
  }
  flush();
  return best || undefined;
}

/**
 * Whether the chunk's prose may hold a match of `re` (see requiredText). Asked of the chunks of a
 * retained analysis only: a one-shot analysis's one chunk is the whole prose, which holds most
 * patterns' texts (the test would be a second pass over it).
 */
function mayHold(chunk: Chunk, re: RegExp): boolean {
  if (!retaining()) return true;
  const text = requiredText(re);
  return text === undefined || chunk.joined().text.includes(text);
}

/** The name a regex's scan is cached under: one string per regex (its hash is computed once, not on every lookup). */
function scanName(re: RegExp): string {
  let name = scanNames.get(re);
  if (name === undefined) { name = `scan:${re.flags}:${re.source}`; scanNames.set(re, name); }
  return name;
}
const scanNames = new WeakMap<RegExp, string>();

/** The matches of a global regex in the prose of one chunk (code excluded), cached with the chunk. */
export function chunkScan(doc: PolicyDocument, chunk: Chunk, re: RegExp): ChunkHit[] {
  return chunkValue(doc, chunk, scanName(re), () => {
    const hits: ChunkHit[] = [];
    if (!mayHold(chunk, re)) return hits;
    matchRegions(chunk.regions, chunk.joined, re, (i, m) => {
      const region = chunk.regions[i];
      const start = region.offset + m.index;
      if (overlapsCode(doc, start, start + m[0].length)) return;
      hits.push({ r: i, index: m.index, text: keep(m[0]), quoted: isQuoted(doc, region, m.index) });
    });
    return hits;
  });
}

/** Runs a global regex over the prose of the document (code excluded). */
export function scanProse(doc: PolicyDocument, re: RegExp): Hit[] {
  return hitsOf(perChunk(doc, scanName(re), (chunk) => chunkScan(doc, chunk, re)));
}

/**
 * scanProse() keeping only the hits `where(chunk)` accepts; it may read only the hit's chunk (its
 * regions, their lines, the document's text there), since the filtered hits are cached per chunk
 * under `name`.
 */
export function scanProseWhere(doc: PolicyDocument, re: RegExp, name: string, where: (chunk: Chunk) => (hit: ChunkHit) => boolean): Hit[] {
  return hitsOf(chunksOf(doc).map((chunk) => ({ chunk, value: chunkScanWhere(doc, chunk, re, name, where) })));
}

/** The hits of scanProseWhere() in one chunk, cached with the chunk. */
export function chunkScanWhere(doc: PolicyDocument, chunk: Chunk, re: RegExp, name: string, where: (chunk: Chunk) => (hit: ChunkHit) => boolean): ChunkHit[] {
  return chunkValue(doc, chunk, name, () => chunkScan(doc, chunk, re).filter(where(chunk)));
}

/** Hits of chunks (chunk-relative, cached) as hits of the document. */
export function hitsOf(found: { chunk: Chunk; value: ChunkHit[] }[]): Hit[] {
  const out: Hit[] = [];
  for (const { chunk, value } of found) {
    for (const h of value) {
      const region = chunk.regions[h.r];
      const start = region.offset + h.index;
      out.push({ start, end: start + h.text.length, text: h.text, quoted: h.quoted, region });
    }
  }
  return out;
}

const quoteDepths = new WeakMap<Region, Uint8Array>();
const HAS_OPEN = /[「『“]/;
/** Depth 0 everywhere (indexes past the end read as undefined, i.e. not quoted). */
const NO_QUOTES = new Uint8Array(0);

/** True when `index` of the region is inside Japanese quotation brackets or the line is a block quote. */
export function isQuoted(doc: PolicyDocument, region: Region, index: number): boolean {
  let depths = quoteDepths.get(region);
  if (!depths && !HAS_OPEN.test(region.text)) quoteDepths.set(region, (depths = NO_QUOTES));
  if (!depths) {
    // depths[i]: how many brackets are open before character i.
    // By char code: indexing a string by position makes a string of each (two-byte) character.
    const text = region.text;
    depths = new Uint8Array(text.length + 1);
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      depths[i] = depth < 255 ? depth : 255;
      const c = text.charCodeAt(i);
      if (c === 0x300c || c === 0x300e || c === 0x201c) depth++; // 「 『 “ (OPEN)
      else if ((c === 0x300d || c === 0x300f || c === 0x201d) && depth > 0) depth--; // 」 』 ” (CLOSE)
    }
    depths[text.length] = depth < 255 ? depth : 255;
    quoteDepths.set(region, depths);
  }
  if (depths[index] > 0) return true;
  // No line anywhere starts like a block quote (a one-shot analysis asks once per document).
  if (!retaining() && !hasQuoteLine(doc)) return false;
  const at = region.offset + index;
  const start = lineStart(doc, at);
  return blockQuoteAt(doc.text, start, Math.min(at, start + 8));
}

/**
 * Whether some line may be a block quote: the test below at every line start ('^' of the m flag
 * also matches after \r, U+2028 and U+2029: more places, never fewer).
 */
const quoteLines = new AnalysisCache<PolicyDocument, boolean>();
function hasQuoteLine(doc: PolicyDocument): boolean {
  let has = quoteLines.get(doc);
  if (has === undefined) { has = doc.text.includes('>') && /^\s{0,3}>/m.test(doc.text); quoteLines.set(doc, has); }
  return has;
}

/** /^\s{0,3}>/ tested on text.slice(start, end), without the slice ('>' is no space: no backtracking). */
function blockQuoteAt(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && i - start < 3 && SPACE.test(text[i])) i++;
  return i < end && text.charCodeAt(i) === 0x3e;
}
const SPACE = /\s/;

/**
 * The start of the line holding `offset`: a short scan back, or the document's line table on a
 * very long line (scanning back would be quadratic there). After an edit only the chunks that
 * changed ask, so the table of every line of the document is seldom built then.
 */
function lineStart(doc: PolicyDocument, offset: number): number {
  // A one-shot analysis asks for every chunk's hits: the table pays off there.
  if (!retaining()) return lineStartOf(doc, offset);
  const from = Math.max(0, offset - 512);
  const nl = doc.text.slice(from, offset).lastIndexOf('\n');
  if (nl >= 0) return from + nl + 1;
  return from === 0 ? 0 : lineStartOf(doc, offset);
}

/** Longest run of URL characters read as a possible URL or address (longer runs are not links). */
const MAX_URL = 2048;

/** True when [start, end) is part of a URL or an e-mail address. */
export function inUrlOrMail(text: string, start: number, end: number): boolean {
  let s = start, e = end;
  const urlChar = /[A-Za-z0-9:/?#[\]@!$&'()*+,;=._~%-]/;
  // Bounded scans: a very long run of letters (a pasted blob) is not a link, and must not cost a scan per match.
  while (s > 0 && start - s <= MAX_URL && urlChar.test(text[s - 1])) s--;
  while (e < text.length && e - end <= MAX_URL && urlChar.test(text[e])) e++;
  if (e - s > MAX_URL) return false;
  const token = text.slice(s, e).replace(/[.,;:)\]]+$/, '');
  // A scheme (checked before "://", not by a regex that restarts at every letter), www., an
  // e-mail address, or a bare host name (mail.example.lg.jp).
  for (let at = token.indexOf('://'); at > 0; at = token.indexOf('://', at + 3)) {
    if (/[a-z][a-z0-9+.-]*$/i.test(token.slice(Math.max(0, at - 32), at))) return true;
  }
  return /^www\.|@[A-Za-z0-9-]+\./i.test(token) || /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:[/:?#]|$)/.test(token);
}

/** One edit that changes only the part of `oldText` (at `start`) that differs from `newText`. */
export function minimalEdit(start: number, oldText: string, newText: string): TextEdit {
  let p = 0;
  while (p < oldText.length && p < newText.length && oldText[p] === newText[p]) p++;
  let q = 0;
  while (q < oldText.length - p && q < newText.length - p && oldText[oldText.length - 1 - q] === newText[newText.length - 1 - q]) q++;
  return { span: { start: start + p, end: start + oldText.length - q }, newText: newText.slice(p, newText.length - q) };
}

export type Draft = Omit<Finding, 'ruleId' | 'severity'>;

const memo = new AnalysisCache<PolicyDocument, Map<string, unknown>>();

/** Caches a per-document computation (rules that own spans are asked by other rules too). */
export function perDocument<T>(doc: PolicyDocument, key: string, compute: () => T): T {
  let m = memo.get(doc);
  if (!m) { m = new Map(); memo.set(doc, m); }
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}

export function ruleEnabled(ctx: RuleContext, id: string): boolean {
  return ctx.config.rules[id]?.enabled !== false;
}

/** A set of spans that answers "does this span overlap any of them?" without a linear scan. */
export class SpanSet {
  private readonly spans: Span[];
  private readonly maxEnd: number[] = [];
  constructor(spans: Span[]) {
    this.spans = [...spans].sort((a, b) => a.start - b.start);
    let m = -1;
    for (const s of this.spans) this.maxEnd.push((m = Math.max(m, s.end)));
  }
  overlaps(span: Span): boolean {
    // The last span starting before span.end; any overlap is at or before it.
    let lo = 0, hi = this.spans.length - 1, last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[mid].start < span.end) { last = mid; lo = mid + 1; } else hi = mid - 1;
    }
    for (let i = last; i >= 0 && this.maxEnd[i] > span.start; i--) if (this.spans[i].end > span.start) return true;
    return false;
  }
}

/** 「A」3か所、「B」1か所 */
export function countsText(counts: Map<string, number>): string {
  return [...counts].sort((a, b) => b[1] - a[1]).map(([f, n]) => `「${f}」${n}か所`).join('、');
}

export { overlapsCode };
