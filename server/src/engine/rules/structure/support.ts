/** Helpers shared by the structure rules: definition sections, defined names, partial documents. */
import type { Clause, Definition, OutlineNode, PolicyDocument, TableInfo } from '../../model/types';
import { analysisKey, clausesChanged, inCode } from '../../model/document';
import { foldedDocument, type FoldedDocument } from '../../model/folded';
import { foldAligned } from '../../normalize';
import { nodesChanged } from '../../numbering-facts';
import { keep, latest, memoized, memoizedRuns, retaining, type RunKey } from '../../memo';
import { AnalysisCache } from '../../analysis-cache';
import { firstAtOrAfter } from '../../model/search';

/** A heading, caption or article caption that names a definitions section (定義, 用語の定義, 用語の意義). */
const DEF_TITLE = /^[（(]?(?:用語の?)?(?:定義|意義)(?:等)?[)）]?$|用語の(?:定義|意義|解説)|^用語集$|^(?:略語|略称)(?:一覧|の説明)?$/;

function titleText(n: OutlineNode): string {
  return (n.caption ?? n.title).trim();
}

/**
 * DEF_TITLE on a title. Its alternatives anchored at both ends match at most 8 characters and
 * hold 義 (定義, 意義), 語 (用語集, 略語) or 略 (略称); a longer title can only match
 * 用語の定義|意義|解説. Substring searches rule most titles out before the regex.
 */
function namesDefinitions(s: string): boolean {
  if (s.length <= 8 ? !(s.includes('義') || s.includes('語') || s.includes('略')) : !s.includes('用語の')) return false;
  return DEF_TITLE.test(s);
}

/** The node itself names a definitions section. */
export function isDefinitionTitle(n: OutlineNode): boolean {
  if (n.caption && namesDefinitions(n.caption.trim())) return true;
  if (n.kind === 'heading' || n.marker?.style === 'article' || n.marker?.style === 'item-dai' || n.marker?.style === 'decimal') return namesDefinitions(titleText(n));
  // A short title-like item such as "2 定義".
  return n.title.length <= 12 && namesDefinitions(n.title.trim());
}

/**
 * Whether a node lies in a definitions section (the node or one of its ancestors names it),
 * decided on demand and kept per analysis (a section's view of the document shares it): a rule
 * that asks about a few nodes does not look at the whole outline.
 */
const definitionCaches = new AnalysisCache<object, Map<OutlineNode, boolean>>();
function definitionTest(doc: PolicyDocument): (node: OutlineNode) => boolean {
  let cache = definitionCaches.get(analysisKey(doc));
  if (!cache) { cache = new Map(); definitionCaches.set(analysisKey(doc), cache); }
  const known = cache;
  const test = (n: OutlineNode): boolean => {
    let v = known.get(n);
    if (v === undefined) {
      v = (n.kind !== 'root' && isDefinitionTitle(n)) || (!!n.parent && test(n.parent));
      known.set(n, v);
    }
    return v;
  };
  return test;
}

/** Whether a node of `doc` lies in a definitions section (the node or one of its ancestors names it). */
export function definitionSectionTest(doc: PolicyDocument): (node: OutlineNode) => boolean {
  return definitionTest(doc);
}

/**
 * The first heading that starts a definitions section (names it while its parent section does
 * not), looking at headings and their ancestors only. The headings that name one are found per
 * run of nodes (cached): a heading's own title decides it.
 */
export function firstDefinitionHeading(doc: PolicyDocument): OutlineNode | undefined {
  if (!definitionHeadings.has(doc)) {
    const test = definitionTest(doc);
    let found: OutlineNode | undefined;
    const runs = nodeRuns(doc, 'definition-headings', (nodes, start, end) => {
      const out: number[] = [];
      for (let i = start; i < end; i++) if (nodes[i].kind === 'heading' && isDefinitionTitle(nodes[i])) out.push(i - start);
      return out;
    });
    search: for (const run of runs) {
      for (const i of run.value) {
        const n = doc.nodes[run.start + i];
        if (!(n.parent && test(n.parent))) { found = n; break search; }
      }
    }
    definitionHeadings.set(doc, found);
  }
  return definitionHeadings.get(doc);
}
const definitionHeadings = new AnalysisCache<PolicyDocument, OutlineNode | undefined>();

/** The table that holds the document's definitions (the one with most table definitions). */
export function definitionTable(doc: PolicyDocument): TableInfo | undefined {
  let best: TableInfo | undefined;
  let bestCount = 0;
  for (const t of doc.tables) {
    const count = doc.definitions.filter((d) => d.kind === 'table' && d.span.start >= t.span.start && d.span.end <= t.span.end).length;
    if (count > bestCount) { best = t; bestCount = count; }
  }
  return best;
}

/** The outline node whose own title holds a definition of kind item. */
export function nodeOfDefinition(doc: PolicyDocument, def: Definition): OutlineNode | undefined {
  return doc.nodes.find((n) => n.titleSpan.start <= def.span.start && def.span.end <= n.titleSpan.end);
}

/** The text forms a defined term stands for: 「CISO（最高情報セキュリティ責任者）」 → both names. */
export function termForms(term: string): string[] {
  const out = new Set<string>();
  const clean = term.replace(/[「」『』]/g, '').trim();
  out.add(clean);
  const outside = clean.replace(/[（(][^（）()]*[)）]/g, '').trim();
  if (outside) out.add(outside);
  for (const m of clean.matchAll(/[（(]([^（）()]+)[)）]/g)) {
    const inner = m[1].replace(/^(?:以下|略称|略して)[、,]?/, '').trim();
    if (inner) out.add(inner);
  }
  for (const part of outside.split(/又は|若しくは|及び|・|／|\//)) if (part.trim().length >= 2 && part !== outside) out.add(part.trim());
  return [...out].filter((s) => s.length > 0);
}

/**
 * termForms() of each of the document's definitions, in order: cached by runs of their terms
 * (copies), and shared by the rules of one analysis.
 */
export function definitionForms(doc: PolicyDocument): string[][] {
  let forms = definitionFormCache.get(doc.definitions);
  if (!forms) {
    forms = [];
    for (const run of textRuns('term-forms', doc.definitions.map((d) => d.term), (terms) => terms.map((t) => termForms(t).map(keep)))) forms.push(...run.value);
    definitionFormCache.set(doc.definitions, forms);
  }
  return forms;
}
const definitionFormCache = new AnalysisCache<object, string[][]>();

/** Finds every occurrence of a term, comparing after NFKC + lower case (full-width ＥＤＲ = EDR); offsets are the source's. */
export class FoldedText {
  private readonly folded: FoldedDocument;
  constructor(doc: PolicyDocument) {
    this.folded = foldedDocument(doc);
  }
  /** Some occurrence of the term satisfies `test` (occurrences in order, stopping at the first that does). */
  some(needle: string, test: (at: number) => boolean): boolean {
    const n = foldAligned(needle);
    if (!n) return false;
    for (let i = this.folded.indexOf(n); i >= 0; i = this.folded.indexOf(n, i + 1)) if (test(i)) return true;
    return false;
  }
}

/** Spans that do not count as the document's text: front matter, comments, code. */
export function isIgnored(doc: PolicyDocument, offset: number): boolean {
  const fm = doc.metadata.frontMatterSpan;
  if (fm && offset >= fm.start && offset < fm.end) return true;
  if (doc.comments.some((c) => offset >= c.span.start && offset < c.span.end)) return true;
  return inCode(doc, offset);
}

/**
 * The document says its terms are defined in another document
 * (「この基準で使用する用語の意義は、規則で使用する用語の例による」, 「基本方針で定める用語の定義による」).
 */
export function delegatesDefinitions(doc: PolicyDocument): boolean {
  return doc.clauses.some((c) => delegatesDefinitionsIn(c.text));
}

/** One clause says so (delegatesDefinitions). */
export function delegatesDefinitionsIn(text: string): boolean {
  // Both patterns contain 用語: a substring search rules most clauses out before the regexes.
  return text.includes('用語') && (
    /用語(?:の(?:意義|定義|意味))?は[、,]?[^。]{0,60}?(?:規則|規程|条例|要綱|要領|基本方針|方針|対策基準|基準|ポリシー|法律?)[^。]{0,30}?(?:の例|に定める(?:ところ|例)|の定める(?:ところ|例)|の定義)による/.test(text)
    || /(?:規則|規程|条例|要綱|要領|基本方針|方針|対策基準|基準|ポリシー)(?:において|で|に)(?:使用する|用いる|定める|定義する|定義された)用語の例による/.test(text));
}

/**
 * Facts about runs of texts (in order) that depend on those texts only, cached by them: after an
 * edit only the run that holds the edited text is computed again. Runs end where the content
 * says so (see runEnds, runEndsAt), so that a text added or removed does not move the other runs. Returns
 * each run's first index and value; `space` must name everything else the value depends on.
 * Keyed by the joined texts: for texts that are not ranges of the document (few and short).
 */
export function textRuns<T>(space: string, texts: string[], compute: (run: string[]) => T): { start: number; value: T }[] {
  // A one-shot analysis (the CLI) keeps nothing for a next one: one run, no keys to build.
  if (!retaining()) return [{ start: 0, value: compute(texts) }];
  const out: { start: number; value: T }[] = [];
  let start = 0;
  for (let i = 0; i < texts.length; i++) {
    if (!runEnds(texts[i], i - start, i === texts.length - 1)) continue;
    const run = texts.slice(start, i + 1);
    // Lengths first (two units each), so that the key tells the texts apart (a text may contain any character).
    const lengths: number[] = [];
    for (const r of run) lengths.push(r.length >>> 16, r.length & 0xffff);
    out.push({ start, value: memoized(space, `${String.fromCharCode(...lengths)}\u0000${run.join('')}`, () => compute(run)) });
    start = i + 1;
  }
  return out;
}

/** A run ends after this text: its length and last unit hash to 0 mod 32, or it is the run's 128th (or the last) text. */
function runEnds(t: string, index: number, last: boolean): boolean {
  return last || index === 127 || (t.length * 31 + t.charCodeAt(t.length - 1)) % 32 === 0;
}

/**
 * runEnds for runs of clauses or nodes, from the length of the clause's text or the node's title
 * alone (a positive multiple of 32): their spans say it, and reading the texts themselves on every
 * edit would touch every one of them in memory.
 */
function runEndsAt(length: number, index: number, last: boolean): boolean {
  return last || index === 127 || (length > 0 && length % 32 === 0);
}

/**
 * textRuns over the texts of the document's clauses. A run is looked up by the range of the
 * document it covers (its first clause's start to its last clause's end) plus the clause
 * boundaries inside it: a clause's text is the document's text over its span, so these
 * determine the run's texts, and a run the edit did not touch is found without hashing (all runs
 * at once: memoizedRuns).
 * compute() gets the run's texts and the index of its first clause: it may read facts of those
 * clauses that follow from their texts alone (their subjects), never their offsets or nodes.
 * The runs and their keys are shared by the rules.
 */
export function clauseRuns<T>(doc: PolicyDocument, space: string, compute: (run: string[], first: number) => T): { start: number; value: T }[] {
  let c = clauseRunCache.get(doc.clauses);
  if (!c) { c = {}; clauseRunCache.set(doc.clauses, c); }
  if (!retaining()) return [{ start: 0, value: compute(c.texts ??= doc.clauses.map((x) => x.text), 0) }];
  const runs = (c.runs ??= keptRuns(doc, 'runs/clauses', doc.clauses.length, (previous) => (previous && clauseRunsAround(doc, previous)) ?? clauseRunsOf(doc.clauses, new RunMatcher(previous), 0)));
  const clauses = doc.clauses;
  const values = memoizedRuns(space, doc.text, runs, (k) => {
    const r = runs[k];
    const texts: string[] = [];
    for (let i = r.start; i < r.end; i++) texts.push(clauses[i].text);
    return compute(texts, r.start);
  });
  return runs.map((r, k) => ({ start: r.start, value: values[k] }));
}
const clauseRunCache = new AnalysisCache<object, { texts?: string[]; runs?: ClauseRun[] }>();

/** Clauses or nodes [start, end) cover the document's range [from, to); `extra` (their layout) encodes their spans relative to `from`. */
interface ClauseRun extends RunKey { start: number; end: number }

/**
 * The runs of the clauses from clause `from` (the start of a run) on; `stop(end)` may end the
 * making after a run that ends before clause `end` (the rest is then known).
 */
function clauseRunsOf(clauses: Clause[], matcher: RunMatcher, from: number, stop?: (end: number) => boolean): ClauseRun[] {
  const out: ClauseRun[] = [];
  const units = layoutUnits;
  units.n = 0;
  let start = from;
  let i = from;
  for (; i < clauses.length; i++) {
    const span = clauses[i].span;
    // The gap after the previous clause of the run, then the clause's length.
    if (i > start) units.put(span.start - clauses[i - 1].span.end);
    units.put(span.end - span.start);
    if (!runEndsAt(span.end - span.start, i - start, i === clauses.length - 1)) continue;
    out.push(matcher.run(start, i + 1, clauses[start].span.start, span.end, undefined));
    start = i + 1;
    if (stop && stop(start)) { i++; break; }
  }
  runStats.clausesLaidOut += i - from;
  return out;
}

/** How many clauses the runs were laid out from (tests, profiling). */
export const runStats = { clausesLaidOut: 0 };

/** The runs of clauses and of nodes the rules used in an analysis, as [start, end, from, to, layout] each (tests); undefined where no rule asked. */
export function runLayouts(doc: PolicyDocument): { clauses?: unknown[][]; nodes?: unknown[][] } {
  const list = (runs: readonly ClauseRun[] | undefined) => runs?.map((r) => [r.start, r.end, r.from, r.to, r.extra]);
  return { clauses: list(clauseRunCache.get(doc.clauses)?.runs), nodes: list(nodeRunCache.get(doc.nodes)) };
}

/**
 * The runs of the document's clauses after an edit that made only clauses [a, b) anew
 * (clausesChanged: one block changed in place; the previous clauses come `shift` indexes further
 * after them). As nodeRunsAround does for nodes: the previous runs before the run holding clause a
 * are kept, those after the first run end at or after b that is also a previous run end are
 * moved, and the runs in between are made again (a run's end depends only on the clauses since
 * its start, so from a common end on the same clauses make the same runs). Without this, every
 * keystroke laid out all ~20,000 clauses of a 1 MB 例規 to find the one run it changed.
 * Undefined when the clauses may have changed elsewhere.
 */
function clauseRunsAround(doc: PolicyDocument, previous: PreviousRuns): ClauseRun[] | undefined {
  const changed = clausesChanged(doc);
  const old = previous.runs;
  if (!changed || old.length === 0) return undefined;
  const clauses = doc.clauses;
  const { a, b, shift } = changed;
  if (old[old.length - 1].end + shift !== clauses.length || a > b || b > clauses.length) return undefined;
  return runsAround(old, a, b, shift, previous.delta, (from, stop) => clauseRunsOf(clauses, new RunMatcher(undefined), from, stop));
}

/**
 * The runs of a list after an edit that made only its items [a, b) anew, the previous items after
 * them coming `shift` indexes and `delta` characters further (clauseRunsAround, nodeRunsAround):
 * the previous runs before the one holding item `a` are kept, `make(from, stop)` makes the runs
 * from that run's start until `stop` accepts a run end at or after `b` that is also a previous
 * run's end (moved), and the previous runs after it are moved. Undefined when no such end is
 * met (no item left from that run's start on).
 */
function runsAround(old: readonly ClauseRun[], a: number, b: number, shift: number, delta: number, make: (from: number, stop: (end: number) => boolean) => ClauseRun[]): ClauseRun[] | undefined {
  // The previous run that holds item `a` (the items before it have the same indexes), or the last one.
  const first = Math.max(0, firstAtOrAfter(old, a + 1, (r) => r.start) - 1);
  let k = first;
  let joined = false;
  const made = make(old[first].start, (end) => {
    if (end < b) return false;
    while (k < old.length && old[k].end + shift < end) k++;
    joined = k < old.length && old[k].end + shift === end;
    return joined;
  });
  if (!joined) return undefined;
  const out = old.slice(0, first);
  for (const r of made) out.push(r);
  for (let j = k + 1; j < old.length; j++) {
    const o = old[j];
    out.push(delta === 0 && shift === 0 ? o : { start: o.start + shift, end: o.end + shift, from: o.from + delta, to: o.to + delta, extra: o.extra });
  }
  return out;
}

/** The previous analysis' runs of a list, and where the text changed since (see Memo.latest). */
interface PreviousRuns { runs: readonly ClauseRun[]; prefix: number; suffixStart: number; delta: number }

/**
 * Runs of the document's clauses or nodes, made with the previous analysis' runs at hand (kept in
 * the Memo): a run found at the same place of the unchanged text with the same layout is that run
 * again (its layout string is not made anew, and the cache lookups compare it by identity). Only
 * for the document's whole list: a section's view (fewer items) makes its runs afresh.
 */
function keptRuns(doc: PolicyDocument, space: string, items: number, build: (previous: PreviousRuns | undefined) => ClauseRun[]): ClauseRun[] {
  if (!retaining()) return build(undefined);
  const kept = latest<{ items: number; runs: ClauseRun[] }>(space, doc.text, (old) => ({ items, runs: build(old && { runs: old.value.runs, prefix: old.prefix, suffixStart: old.suffixStart, delta: old.delta }) }));
  return kept.items === items ? kept.runs : build(undefined);
}

/**
 * Makes each run from the layout in layoutUnits (plus the captions of a run of nodes), reusing the
 * previous analysis' run when it lay at the same place of the unchanged text (before the edit, or
 * after it shifted by its length difference) and has the same layout.
 */
class RunMatcher {
  private j = 0;
  constructor(private readonly previous: PreviousRuns | undefined) {}

  run(start: number, end: number, from: number, to: number, captions: string[] | undefined): ClauseRun {
    const units = layoutUnits;
    const n0 = units.n;
    const p = this.previous;
    if (p) {
      const at = to <= p.prefix ? from : from >= p.suffixStart ? from - p.delta : -1;
      const old = p.runs;
      if (at >= 0) {
        // Both lists are in order, and so are the previous offsets of the runs: one pointer suffices.
        while (this.j < old.length && old[this.j].from < at) this.j++;
        const o = old[this.j];
        if (o && o.from === at && o.to - o.from === to - from && o.end - o.start === end - start && sameLayout(o.extra, units, captions)) {
          units.skip();
          if (captions) captions.length = 0;
          return o.start === start && o.from === from ? o : { start, end, from, to, extra: o.extra };
        }
      }
    }
    // The captions' texts after the units, then the number of units (two units): the layout reads back one way only.
    const extra = captions ? units.take() + captions.join('') + String.fromCharCode(n0 >>> 16, n0 & 0xffff) : units.take();
    if (captions) captions.length = 0;
    return { start, end, from, to, extra };
  }
}

/** Whether `extra` is the layout the units (and captions) make (see RunMatcher.run), compared without making it. */
function sameLayout(extra: string, units: LayoutUnits, captions: string[] | undefined): boolean {
  const n = units.n;
  let length = n;
  if (captions) { for (const c of captions) length += c.length; length += 2; }
  if (extra.length !== length || !units.equals(extra)) return false;
  if (!captions) return true;
  let k = n;
  for (const c of captions) {
    for (let i = 0; i < c.length; i++) if (extra.charCodeAt(k++) !== c.charCodeAt(i)) return false;
  }
  return extra.charCodeAt(k) === n >>> 16 && extra.charCodeAt(k + 1) === (n & 0xffff);
}

/** The code units of a layout being built, in a buffer shared by all layouts (built one at a time). */
class LayoutUnits {
  private buf = new Uint16Array(1024);
  n = 0;
  /** A unit that a UTF-16 decoder would not return as it is (a surrogate: only from a negative or huge value). */
  private odd = false;
  /** A non-negative integer as one code unit (below 2^15) or two (the first with the top bit set). */
  put(v: number): void {
    if (this.n + 2 > this.buf.length) this.grow();
    if (v >= 0 && v < 0x8000) this.buf[this.n++] = v;
    else if (v < 0x8000) { this.buf[this.n++] = v; this.odd = true; }
    else {
      const high = 0x8000 | (v >>> 15);
      if (high >= 0xd800 && high <= 0xdfff) this.odd = true;
      this.buf[this.n++] = high; this.buf[this.n++] = v & 0x7fff;
    }
  }
  /**
   * The units as a string; the buffer starts over. Decoded natively (String.fromCharCode over a
   * long argument list costs a layout per run per keystroke), unless a unit is a surrogate, which
   * the decoder would replace.
   */
  take(): string {
    const units = this.buf.subarray(0, this.n);
    const s = this.odd || !LITTLE_ENDIAN ? String.fromCharCode.apply(null, units as unknown as number[]) : utf16.decode(units);
    this.n = 0;
    this.odd = false;
    return s;
  }
  /**
   * Whether `s` starts with the units (as take() would give them: a decoder returns units that are
   * not surrogates as they are, and take() does not decode when one is).
   */
  equals(s: string): boolean {
    const buf = this.buf;
    for (let i = 0; i < this.n; i++) if (s.charCodeAt(i) !== buf[i]) return false;
    return true;
  }
  /** Starts over without making the string. */
  skip(): void {
    this.n = 0;
    this.odd = false;
  }
  private grow(): void {
    const b = new Uint16Array(this.buf.length * 2);
    b.set(this.buf);
    this.buf = b;
  }
}
/** Units in the machine's byte order, read as UTF-16LE: the layouts only need to differ when the units do. */
const utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const layoutUnits = new LayoutUnits();

/** The layout string of some values (tests: it must be what String.fromCharCode makes of the units). */
export function layoutOf(values: number[]): string {
  const units = new LayoutUnits();
  for (const v of values) units.put(v);
  return units.take();
}

/**
 * Facts about runs of the document's outline nodes, cached like clauseRuns: a run is looked up by
 * the range of the document its nodes' lines cover plus their layout (line and title spans
 * relative to the range, kinds, whether they have a marker, captions: a caption may stand on the
 * line before its article).
 * compute() gets the document's nodes and the run's index range [start, end): it may read the
 * kind, title (the text over its title span), caption and whether it has a marker of those nodes
 * and the text over their line spans only (what the range and the layout determine), never their
 * markers' styles, offsets or relatives, and gives indexes in the run. Without a retained Memo it is one run of all nodes.
 */
export function nodeRuns<T>(doc: PolicyDocument, space: string, compute: (nodes: OutlineNode[], start: number, end: number) => T): { start: number; value: T }[] {
  const nodes = doc.nodes;
  if (!retaining()) return [{ start: 0, value: compute(nodes, 0, nodes.length) }];
  let runs = nodeRunCache.get(nodes);
  if (!runs) { runs = keptRuns(doc, 'runs/nodes', nodes.length, (previous) => (previous && nodeRunsAround(doc, previous)) ?? nodeRunsOf(nodes, new RunMatcher(previous), 0)); nodeRunCache.set(nodes, runs); }
  const list = runs;
  const values = memoizedRuns(space, doc.text, list, (k) => compute(nodes, list[k].start, list[k].end));
  return list.map((r, k) => ({ start: r.start, value: values[k] }));
}
const nodeRunCache = new AnalysisCache<object, ClauseRun[]>();

/**
 * The runs of the nodes from node `from` (the start of a run) on; `stop(end)` may end the making
 * after a run that ends before node `end` (the rest is then known).
 */
function nodeRunsOf(nodes: OutlineNode[], matcher: RunMatcher, from: number, stop?: (end: number) => boolean): ClauseRun[] {
  const out: ClauseRun[] = [];
  const units = layoutUnits;
  units.n = 0;
  const captions: string[] = [];
  let start = from;
  for (let i = from; i < nodes.length; i++) {
    const n = nodes[i];
    const line = n.lineSpan, title = n.titleSpan;
    if (i > start) units.put(line.start - nodes[i - 1].lineSpan.end);
    units.put(line.end - line.start);
    units.put(title.start - line.start);
    units.put(title.end - title.start);
    // Heading or item, with or without a marker; the caption's length plus one (0: none).
    const caption = n.caption;
    units.put((n.kind === 'heading' ? 1 : 0) | (n.marker ? 2 : 0));
    units.put(caption === undefined ? 0 : caption.length + 1);
    if (caption) captions.push(caption);
    if (!runEndsAt(title.end - title.start, i - start, i === nodes.length - 1)) continue;
    out.push(matcher.run(start, i + 1, nodes[start].lineSpan.start, line.end, captions));
    start = i + 1;
    if (stop && stop(start)) break;
  }
  return out;
}

/**
 * The runs of the document's nodes after an edit that changed only some nodes [near, beyond) (new
 * indexes; nodesChanged: around a keystroke that kept the outline's nodes, or the nodes of an
 * outline built again in part, after which the previous nodes come `shift` indexes further). The
 * previous runs before those nodes are kept as they were, those after them shifted, and the runs
 * in between made again, from the start of the run holding the first of those nodes to the first
 * end of a run after them that is also the end of a previous run (from there on, the same nodes
 * make the same runs). Undefined when the outline may have changed elsewhere.
 */
function nodeRunsAround(doc: PolicyDocument, previous: PreviousRuns): ClauseRun[] | undefined {
  const nodes = doc.nodes;
  const old = previous.runs;
  if (old.length === 0) return undefined;
  const n = nodes.length, m = old[old.length - 1].end, shift = n - m;
  const changedNodes = nodesChanged(doc, previous);
  if (!changedNodes) return undefined;
  const [near, beyond] = changedNodes;
  if (beyond < near || n - beyond > m) return undefined;
  return runsAround(old, near, beyond, shift, previous.delta, (from, stop) => nodeRunsOf(nodes, new RunMatcher(undefined), from, stop));
}

const knowledgeIds = new WeakMap<object, number>();
let knowledgeCount = 0;
/** A cache space for values that depend on a knowledge base as well as on their key (one per knowledge base). */
export function spaceFor(name: string, kb: object): string {
  let id = knowledgeIds.get(kb);
  if (id === undefined) { id = ++knowledgeCount; knowledgeIds.set(kb, id); }
  return `${name}#${id}`;
}

/**
 * The text stops in the middle of a sentence or right after a heading (a copy that was cut
 * off): the rest of the document is missing, so what it defines, establishes or cites cannot
 * be judged. A complete document ends with a sentence, a closing bracket, a table or 「以上」.
 */
export function looksTruncated(doc: PolicyDocument): boolean {
  let v = truncated.get(doc);
  if (v === undefined) { v = endsCutOff(doc); truncated.set(doc, v); }
  return v;
}
const truncated = new AnalysisCache<PolicyDocument, boolean>();

function endsCutOff(doc: PolicyDocument): boolean {
  const text = doc.text;
  let end = text.length;
  for (;;) {
    // Trailing white space, scanned from the end (a regex anchored at $ would walk the whole text).
    let e = end;
    while (e > 0 && /[\s\u3000]/.test(text[e - 1])) e--;
    if (e === 0) return false;
    // The start of the last line, scanned back from its end (lastIndexOf of a line break that is
    // not there would walk the whole text).
    let lineStart = e;
    while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
    const raw = text.slice(lineStart, e);
    const line = raw.trim();
    // Skip comments, code fences and thematic breaks at the end.
    if (isIgnored(doc, lineStart + (raw.length - raw.trimStart().length)) || /^(?:```|~~~|-{3,}|\*{3,}|<!--.*-->)$/.test(line)) {
      end = lineStart;
      continue;
    }
    return !/[。．.）)」』|]$|^以上$/.test(line);
  }
}

/** The document is an excerpt (declared) or visibly cut off. */
export function isPartial(doc: PolicyDocument): boolean {
  return doc.metadata.excerpt || looksTruncated(doc);
}
