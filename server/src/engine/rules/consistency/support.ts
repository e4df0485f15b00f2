/**
 * Shared by the consistency rules: the prose of a document (sentences, heading titles, table
 * cells — never code or comments), scanning it, quotation detection, and minimal edits.
 */
import { lineStartOf, overlapsCode } from '../../model/document';
import type { PolicyDocument } from '../../model/types';
import type { Span } from '../../text';
import type { Finding, RuleContext, TextEdit } from '../../types';
import { keep, latest, memoizedAt, retaining } from '../../memo';

export interface Region {
  text: string;
  offset: number;
}

const regionCache = new WeakMap<PolicyDocument, Region[]>();

/** Sentences, heading titles and table cells, in document order and without overlaps. */
export function textRegions(doc: PolicyDocument): Region[] {
  let regions = regionCache.get(doc);
  if (regions) return regions;
  const clauses: Span[] = [], headings: Span[] = [], cells: Span[] = [];
  for (const c of doc.clauses) clauses.push(c.span);
  for (const n of doc.nodes) if (n.kind === 'heading' && n.titleSpan.end > n.titleSpan.start) headings.push(n.titleSpan);
  for (const t of doc.tables) for (const r of t.rows) for (const cell of r.cells) if (cell.span.end > cell.span.start) cells.push(cell.span);
  // Each of the model's lists is in document order: merging them replaces a sort of every span
  // (a list found out of order is sorted first). Equal spans give equal regions, so ties may go either way.
  const spans = merge(merge(inOrder(clauses), inOrder(headings)), inOrder(cells));
  regions = [];
  let end = -1;
  if (!retaining()) {
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      if (s.start < end) continue;
      end = s.end;
      regions.push({ text: doc.text.slice(s.start, s.end), offset: s.start });
    }
    regionCache.set(doc, regions);
    return regions;
  }
  // The language server keeps model objects (and their spans) from one analysis to the next
  // (model/patch.ts): a span's region is kept with it, moved to where the span is now, so that
  // what is cached per region object (quotation depths) and per chunk survives an edit.
  // This analysis's spans, where they were and their regions, for the next analysis; the
  // previous analysis's, with where the text changed since (Memo.latest).
  let previous: { value: RegionList; prefix: number; suffixStart: number; delta: number } | undefined;
  const list = latest<RegionList>('regions', doc.text, (old) => {
    previous = old;
    return { spans, starts: new Int32Array(spans.length), ends: new Int32Array(spans.length), regions: new Array(spans.length), out: regions! };
  });
  const { starts, ends } = list;
  const prev = previous?.value;
  const prefix = previous?.prefix ?? 0, suffixStart = previous?.suffixStart ?? 0, delta = previous?.delta ?? 0;
  // The model keeps its span objects and their order: a span before the edit is at the same index
  // of the previous list, a span after it at the same index from the end.
  const shift = prev ? spans.length - prev.spans.length : 0;
  // Per region: 1 before the edit and as it was, 2 after the edit and moved with the text, 0 otherwise.
  const how = new Uint8Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    const a = s.start, b = s.end;
    starts[i] = a;
    ends[i] = b;
    if (a < end) continue;
    end = b;
    let r: Region | undefined;
    let state = 0;
    if (prev) {
      const j = prev.spans[i] === s ? i : i - shift >= 0 && prev.spans[i - shift] === s ? i - shift : -1;
      if (j >= 0 && (r = prev.regions[j]) !== undefined) {
        // The span was [starts[j], ends[j]) with region r (that text, at that offset): when it lies
        // before the edit and has not moved, or after it and moved with the text, r still holds
        // its text — no comparison of the text, no access to the region.
        if (b <= prefix && a === prev.starts[j] && b === prev.ends[j]) state = 1;
        else if (a >= suffixStart && a === prev.starts[j] + delta && b === prev.ends[j] + delta) { state = 2; r.offset = a; }
      }
    }
    if (state === 0) {
      r ??= keptRegions.get(s);
      if (r && r.text.length === b - a && doc.text.startsWith(r.text, a)) r.offset = a;
      else {
        // A copy: the region outlives this version of the text.
        r = { text: keep(doc.text.slice(a, b)), offset: a };
        keptRegions.set(s, r);
      }
    }
    how[regions.length] = state;
    list.regions[i] = r;
    regions.push(r!);
  }
  if (prev) {
    // The regions that are the previous analysis's, at its indexes from the front (unmoved) and
    // from the back (moved with the text): chunksOf() takes the chunks made of them as they were.
    const old = prev.out;
    let front = 0;
    while (front < regions.length && how[front] === 1 && regions[front] === old[front]) front++;
    let back = 0;
    const outShift = regions.length - old.length;
    while (back < regions.length - front && how[regions.length - 1 - back] === 2 && regions[regions.length - 1 - back] === old[regions.length - 1 - back - outShift]) back++;
    alignments.set(regions, { front, back, prefix, suffixStart, delta });
  }
  regionCache.set(doc, regions);
  return regions;
}

/** One analysis's spans (merged, in order), where they were, and the region of each (undefined: skipped as overlapping). */
interface RegionList {
  spans: Span[];
  starts: Int32Array;
  ends: Int32Array;
  regions: (Region | undefined)[];
  /** The analysis's regions (textRegions). */
  out: Region[];
}

/**
 * How one analysis's regions relate to the previous analysis's: the first `front` are its first
 * ones, unmoved, before the edit; the last `back` are its last ones, after the edit, moved by
 * `delta`. The edit: see Memo.latest. (No reference to the previous list: each list would keep
 * the one before alive through this map.)
 */
interface Alignment { front: number; back: number; prefix: number; suffixStart: number; delta: number }
const alignments = new WeakMap<Region[], Alignment>();

/** The region last made for a span object of the model (see textRegions). */
const keptRegions = new WeakMap<Span, Region>();

const bySpan = (a: Span, b: Span) => a.start - b.start || b.end - a.end;

function inOrder(spans: Span[]): Span[] {
  for (let i = 1; i < spans.length; i++) if (bySpan(spans[i - 1], spans[i]) > 0) return spans.sort(bySpan);
  return spans;
}

/** Two sorted lists of spans merged into one. */
function merge(a: Span[], b: Span[]): Span[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: Span[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) out.push(bySpan(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
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

const joinedCache = new WeakMap<PolicyDocument, Joined>();
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
}

/** One analysis's chunks, in order and by first region. */
interface ChunkList { byFirst: Map<Region, Chunk>; list: Chunk[] }

const CHUNK_MIN = 4096;
const CHUNK_MAX = 65536;
const chunkCache = new WeakMap<PolicyDocument, Chunk[]>();

function cutHere(text: string): boolean {
  let h = text.length;
  for (let i = 0; i < text.length && i < 24; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h & 7) === 0;
}

export function chunksOf(doc: PolicyDocument): Chunk[] {
  let chunks = chunkCache.get(doc);
  if (chunks) return chunks;
  chunks = [];
  const regions = textRegions(doc);
  if (!retaining()) {
    // A one-shot analysis reuses nothing: the whole prose is one chunk, scanned in one run.
    chunks.push({ regions, base: 0, end: doc.text.length, extra: '', joined: () => joinedRegions(doc) });
    chunkCache.set(doc, chunks);
    return chunks;
  }
  const code = [...doc.codeSpans].sort((a, b) => a.start - b.start);
  let c = 0;
  let from = 0;
  let size = 0;
  const text = doc.text;
  // The previous analysis's chunks, in order and by their first region (regions are kept with
  // the model's spans); this analysis's, filled below, are handed to the next one.
  let previous: ChunkList | undefined;
  const kept = latest<ChunkList>('chunks', text, (old) => { previous = old?.value; return { byFirst: new Map(), list: chunks! }; }).byFirst;
  // Code spans that touch the lines [base, end] (a code block left open runs to the end of the
  // text), relative to base; asked in document order.
  const codeIn = (base: number, end: number) => {
    while (c < code.length && code[c].end < base && code[c].end !== text.length) c++;
    let codeHere = '';
    for (let k = c; k < code.length && code[k].start <= end; k++) codeHere += `${codeHere ? ',' : ''}${code[k].start - base}:${code[k].end === text.length ? 'end' : code[k].end - base}`;
    return codeHere;
  };
  /** Takes the previous chunk as it is, at [base, end): same regions at the same places, same text. */
  const reuse = (old: Chunk, base: number, end: number) => {
    old.base = base;
    old.end = end;
    // Looked up again (by position: cheap), so that the Memo keeps the entry for later analyses.
    old.results = undefined;
    old.index = chunks!.length;
    chunks!.push(old);
    kept.set(old.regions[0], old);
    from += old.regions.length;
    size = 0;
  };
  // The regions the edit left alone, as textRegions() found them: the previous chunks made of
  // them whose lines lie wholly before or after the edit are taken as they are, without a look at
  // each region (their boundaries depend on their regions only, counted from the chunk before).
  const aligned = previous && alignments.get(regions);
  const old = aligned && previous!.list;
  if (aligned && old) {
    // Not the last chunk: it ended where the regions did, not where its content cut it.
    for (let k = 0; k < old.length - 1; k++) {
      const chunk = old[k];
      // Its regions are the previous first ones, unmoved; its lines and the line break after them come before the edit.
      if (from + chunk.regions.length > aligned.front || chunk.end >= aligned.prefix || chunk.regions[0] !== regions[from]) break;
      if (codeIn(chunk.base, chunk.end) !== chunk.code) break;
      reuse(chunk, chunk.base, chunk.end);
    }
  }
  /** At a chunk boundary among the last regions (moved with the text): the previous chunks from there on, moved. */
  const takeBack = () => {
    if (!aligned || !old || from < regions.length - aligned.back) return;
    const start = previous!.byFirst.get(regions[from]);
    if (!start || start.index === undefined || old[start.index] !== start) return;
    for (let k = start.index; k < old.length && from < regions.length; k++) {
      const chunk = old[k];
      // Its lines and the line break before them come after the edit (in the previous text).
      if (chunk.base - 1 < aligned.suffixStart - aligned.delta || chunk.regions[0] !== regions[from]) return;
      const base = chunk.base + aligned.delta, end = chunk.end + aligned.delta;
      if (codeIn(base, end) !== chunk.code) return;
      reuse(chunk, base, end);
    }
  };
  const make = (to: number) => {
    const first = regions[from];
    const base = lineStart(doc, first.offset);
    const lastRegion = regions[to - 1];
    const nl = text.indexOf('\n', lastRegion.offset + lastRegion.text.length);
    const end = nl < 0 ? text.length : nl;
    const codeHere = codeIn(base, end);
    // The same regions at the same places with the same code: the previous chunk, moved (its key,
    // the text [base, end) and `extra`, is the same; so are its cached results).
    const old = previous?.byFirst.get(first);
    if (old && old.code === codeHere && old.end - old.base === end - base && old.regions.length === to - from && samePlaces(old, regions, from, base)) {
      reuse(old, base, end);
      return;
    }
    const list = regions.slice(from, to);
    // Each region's place as two 16-bit halves of its relative offset and of its length.
    const places = new Int32Array(list.length);
    const codes: number[] = [];
    for (let k = 0; k < list.length; k++) {
      const r = list[k];
      const o = r.offset - base, n = r.text.length;
      places[k] = o;
      codes.push(o >>> 16, o & 0xffff, n >>> 16, n & 0xffff);
    }
    let layout = '';
    for (let k = 0; k < codes.length; k += 8192) layout += String.fromCharCode(...codes.slice(k, k + 8192));
    const chunk: Chunk = { regions: list, base, end, extra: `${layout}\u0000${codeHere}`, joined: lazyJoin(list), places, code: codeHere, index: chunks!.length };
    chunks!.push(chunk);
    kept.set(first, chunk);
    from = to;
    size = 0;
  };
  for (let i = from; i < regions.length; i++) {
    size += regions[i].text.length;
    if ((size >= CHUNK_MIN && cutHere(regions[i].text)) || size >= CHUNK_MAX) {
      make(i + 1);
      takeBack();
      i = from - 1;
    }
  }
  if (from < regions.length) make(regions.length);
  chunkCache.set(doc, chunks);
  return chunks;
}

/**
 * The regions joined on first use. A function of its own: a closure made inside chunksOf() would
 * keep that analysis's document alive for as long as the chunk is kept (chunks outlive analyses).
 */
function lazyJoin(list: Region[]): () => Joined {
  let joined: Joined | undefined;
  return () => (joined ??= join(list));
}

/** Whether a chunk holds regions[from …] (the same objects) at the same places relative to `base`. */
function samePlaces(chunk: Chunk, regions: Region[], from: number, base: number): boolean {
  const places = chunk.places!;
  for (let k = 0; k < chunk.regions.length; k++) {
    const r = regions[from + k];
    if (chunk.regions[k] !== r || places[k] !== r.offset - base) return false;
  }
  return true;
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
function chunkValue<T>(doc: PolicyDocument, chunk: Chunk, name: string, compute: (chunk: Chunk) => T): T {
  const byName = (chunk.results ??= retaining()
    ? memoizedAt('chunk', doc.text, chunk.base, chunk.end, chunk.extra, () => new Map<string, unknown>())
    : new Map<string, unknown>());
  let value = byName.get(name) as T | undefined;
  if (value === undefined) { value = compute(chunk); byName.set(name, value); }
  return value;
}

/** A hit relative to its chunk: region index in the chunk, offset in the region. */
export interface ChunkHit { r: number; index: number; text: string; quoted: boolean }

/** The matches of a global regex in the prose of one chunk (code excluded), cached with the chunk. */
export function chunkScan(doc: PolicyDocument, chunk: Chunk, re: RegExp): ChunkHit[] {
  return chunkValue(doc, chunk, `scan:${re.flags}:${re.source}`, () => {
    const hits: ChunkHit[] = [];
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
  return hitsOf(perChunk(doc, `scan:${re.flags}:${re.source}`, (chunk) => chunkScan(doc, chunk, re)));
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
const quoteLines = new WeakMap<PolicyDocument, boolean>();
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

const memo = new WeakMap<PolicyDocument, Map<string, unknown>>();

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
