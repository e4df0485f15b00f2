/**
 * Section-scoped rules (meta.scope 'section') run section by section: a top-level section of the
 * outline and the text before the first one. The findings of a section are cached by its text
 * and the document-level facts a rule may read, with offsets relative to the section start, so
 * that after an edit only the edited section is examined again.
 */
import type { Clause, CrossReference, OutlineNode, PolicyDocument, TableInfo } from './model/types';
import type { Finding, Fix } from './types';
import { memoizedRuns, retaining, type RunKey } from './memo';

export interface Section {
  start: number;
  end: number;
  /**
   * Whether the findings can be cached: by the section's text (its range, see memoizedRuns) in a
   * cache space named by the document facts. False when they depend on the whole document.
   */
  cacheable: boolean;
  space: string;
  /** What else the section's findings depend on: where the document title lies in it, if it does. */
  extra: string;
  /**
   * This section's cache entry (one per section holds the findings of every section-scoped rule):
   * set by sectionsOf() for every cacheable section when the Memo is retained (assignResults), the
   * only case where it is read.
   */
  results?: SectionResults;
  /** The document restricted to the section: its nodes, clauses, tables and references (see sectionView). */
  view?: PolicyDocument;
}

/**
 * Splits the document at the starts of the root's children (sorted, non-overlapping). `facts`
 * is what a section-scoped rule may read besides its section.
 */
export function sectionsOf(doc: PolicyDocument, facts: string): Section[] {
  const { chain, beside, level } = titleChain(doc);
  // Rules read the titles above a clause, and the text before the first section belongs to the
  // title node, whose item text is the whole document: that first part depends on everything.
  const wholeFirst = chain.length > 0;
  const bounds = sectionStarts(beside, level);
  const space = 'section\u0000' + facts;
  const sections: Section[] = new Array(bounds.length);
  for (let i = 0; i < bounds.length; i++) {
    const start = bounds[i];
    const end = i + 1 < bounds.length ? bounds[i + 1] : doc.text.length;
    sections[i] = { start, end, cacheable: !(wholeFirst && start === 0), space, extra: titleIn(doc, start, end) };
  }
  // The language server finds most sections' findings in its cache: only the sections examined
  // again need their view, made on demand (sectionView). A one-shot analysis needs every view.
  if (!retaining()) assignAll(doc, sections);
  else assignResults(doc, sections);
  return sections;
}

/** 0 and the line starts of the nodes after it, in order and without repeats. */
function sectionStarts(beside: OutlineNode[], level: OutlineNode[]): number[] {
  const starts = [0];
  let sorted = true;
  for (const list of [beside, level]) {
    for (let i = 0; i < list.length; i++) {
      const s = list[i].lineSpan.start;
      if (s <= 0) continue;
      if (s < starts[starts.length - 1]) sorted = false;
      starts.push(s);
    }
  }
  if (!sorted) starts.sort((a, b) => a - b);
  let n = 1;
  for (let i = 1; i < starts.length; i++) if (starts[i] !== starts[n - 1]) starts[n++] = starts[i];
  starts.length = n;
  return starts;
}

/**
 * Every cacheable section's cache entry (Section.results), looked up as runs of the text in one
 * pass: the sections the edit left alone are matched with the previous analysis' sections by
 * position, without a lookup each (the 1 MB documents have 400–450 sections).
 */
function assignResults(doc: PolicyDocument, sections: Section[]): void {
  const cacheable = sections.filter((s) => s.cacheable);
  if (cacheable.length === 0) return;
  const keys: RunKey[] = cacheable.map((s) => ({ from: s.start, to: s.end, extra: s.extra }));
  const results = memoizedRuns(cacheable[0].space, doc.text, keys, (): SectionResults => ({ byRule: new Map() }));
  for (let i = 0; i < cacheable.length; i++) cacheable[i].results = results[i];
}

/**
 * What a document is written under: a document under one title (# 対策基準 → ## 1. … ## 9.) has
 * the title as `chain` (and the node under it, while it is alone), whose last node's children are
 * the sections (`level`; the root's children when there is no such title). Childless nodes beside
 * the chain (a stray line or heading above the title, such as front matter whose fence is being
 * typed) are parts of their own (`beside`): they must not make the whole document one section.
 */
export function titleChain(doc: PolicyDocument): { chain: OutlineNode[]; beside: OutlineNode[]; level: OutlineNode[] } {
  let level = doc.root.children;
  const chain: OutlineNode[] = [];
  const beside: OutlineNode[] = [];
  for (;;) {
    let parent: OutlineNode | undefined;
    let many = false;
    for (let i = 0; i < level.length; i++) if (level[i].children.length > 0) { if (parent) many = true; parent = level[i]; }
    if (!parent || many) break;
    chain.push(parent);
    for (let i = 0; i < level.length; i++) if (level[i] !== parent) beside.push(level[i]);
    level = parent.children;
  }
  return { chain, beside, level };
}

/** The section's view of the document: its nodes, clauses, tables and references. */
export function sectionView(doc: PolicyDocument, section: Section): PolicyDocument {
  if (!section.view) {
    const last = section.end === doc.text.length;
    section.view = {
      ...doc,
      nodes: within(doc.nodes, section.start, section.end, last, (n) => n.lineSpan.start),
      clauses: within(doc.clauses, section.start, section.end, last, (c) => c.span.start),
      tables: within(doc.tables, section.start, section.end, last, (t) => t.span.start),
      references: within(doc.references, section.start, section.end, last, (r) => r.span.start),
    };
  }
  return section.view;
}

/**
 * The items of a list in document order whose start lies in [start, end) (to the list's end for
 * the last section): found by binary search, so that a view costs the size of its section.
 */
function within<T>(list: T[], start: number, end: number, last: boolean, startOf: (x: T) => number): T[] {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (startOf(list[mid]) < start) lo = mid + 1; else hi = mid;
  }
  let to = lo;
  while (to < list.length && (last || startOf(list[to]) < end)) to++;
  return list.slice(lo, to);
}

/**
 * Every section's view in one pass: each item goes to the section holding its start. The model's
 * lists are in document order, so one pointer walks the sections (an item out of order restarts
 * the walk from the first section).
 */
function assignAll(doc: PolicyDocument, sections: Section[]): void {
  const parts = sections.map(() => ({ nodes: [] as OutlineNode[], clauses: [] as Clause[], tables: [] as TableInfo[], references: [] as CrossReference[] }));
  let k = 0, prev = 0;
  const from = () => { k = 0; prev = 0; };
  const at = (s: number) => {
    if (s < prev) k = 0;
    prev = s;
    while (k + 1 < sections.length && sections[k + 1].start <= s) k++;
    return parts[k];
  };
  // Index loops: this runs over every node and clause.
  const { nodes, clauses, tables, references } = doc;
  from(); for (let i = 0; i < nodes.length; i++) at(nodes[i].lineSpan.start).nodes.push(nodes[i]);
  from(); for (let i = 0; i < clauses.length; i++) at(clauses[i].span.start).clauses.push(clauses[i]);
  from(); for (let i = 0; i < tables.length; i++) at(tables[i].span.start).tables.push(tables[i]);
  from(); for (let i = 0; i < references.length; i++) at(references[i].span.start).references.push(references[i]);
  sections.forEach((section, i) => { section.view = { ...doc, ...parts[i] }; });
}

/** The document title's span relative to [start, end) when it overlaps the section, else ''. */
function titleIn(doc: PolicyDocument, start: number, end: number): string {
  const t = doc.metadata.titleSpan;
  return t && t.start <= end && t.end >= start ? `${t.start - start}:${t.end - start}` : '';
}

/** A finding as a rule reports it (its rule and severity are added by the engine). */
export type Relative = Omit<Finding, 'ruleId' | 'severity'> & { severity?: Finding['severity'] };

/**
 * A section's cached findings by rule id (offsets relative to the section), and a set of rules
 * (sectionsToVisit) none of which finds anything in the section.
 */
interface SectionResults { byRule: Map<string, readonly Relative[]>; quiet?: string }

/**
 * The sections where the rules `ruleIds` (in the order they run) may find something: the language
 * server leaves out the sections whose cached findings of every one of them are none, so that
 * most sections cost one cache lookup per keystroke, not one per rule.
 */
export function sectionsToVisit(doc: PolicyDocument, sections: Section[], ruleIds: string[]): Section[] {
  if (!retaining()) return sections;
  const key = ruleIds.join('\u0000');
  const out: Section[] = [];
  for (const section of sections) {
    if (!section.cacheable) { out.push(section); continue; }
    const results = section.results!;
    if (results.quiet === key) continue;
    if (ruleIds.every((id) => results.byRule.get(id)?.length === 0)) { results.quiet = key; continue; }
    out.push(section);
  }
  return out;
}

/**
 * Findings of one section-scoped rule in one section: from the cache when the section's text and
 * the document facts (`facts`) are unchanged, else by `run` (which reports absolute offsets).
 */
export function sectionFindings(ruleId: string, doc: PolicyDocument, section: Section, run: (section: Section) => Relative[]): readonly Relative[] {
  // Not cached: the first part of a document under one title, and one-shot analyses (the CLI).
  if (!section.cacheable || !retaining()) return inSection(doc, section, run(section));
  const bySection = section.results!.byRule;
  let cached = bySection.get(ruleId);
  if (!cached) {
    cached = kept(inSection(doc, section, run(section)), section.start);
    bySection.set(ruleId, cached);
  }
  // Most sections have no finding of most rules: no copy of an empty list.
  return cached.length === 0 ? NONE : cached.map((f) => shift(f, section.start));
}

const NONE: readonly Relative[] = [];

/**
 * Findings to cache across analyses, with offsets relative to `start`: a JSON copy, so that
 * messages and new text quoting the document do not hold on to this version of it.
 */
export function kept(found: readonly Relative[], start: number): readonly Relative[] {
  return found.length === 0 ? NONE : (JSON.parse(JSON.stringify(found.map((f) => shift(f, -start)))) as Relative[]);
}

/** A rule may look beyond its section; what it reports outside belongs to another section. */
function inSection(doc: PolicyDocument, section: Section, found: Relative[]): Relative[] {
  return found.filter((f) => f.span.start >= section.start && (f.span.start < section.end || section.end === doc.text.length));
}

/** A copy of a finding with every offset moved by `by`. */
export function shift<T extends Relative>(f: T, by: number): T {
  const s = (span: { start: number; end: number }) => ({ start: span.start + by, end: span.end + by });
  return {
    ...f,
    span: s(f.span),
    fixes: f.fixes?.map((x: Fix) => ({ ...x, edits: x.edits.map((e) => ({ ...e, span: s(e.span) })) })),
    related: f.related?.map((r) => ({ ...r, span: s(r.span) })),
  };
}
