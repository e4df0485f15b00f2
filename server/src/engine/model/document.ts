/** parse → PolicyDocument: the model every rule and feature queries. */
import { extractBlocks } from './blocks';
import { attachBlocks, buildOutline } from './outline';
import { buildClauses, isMarked, segmentClauses, shiftClause, type SentenceInfo } from './clauses';
import { latest, retaining } from '../memo';
import { patchModel, type ModelState, type PatchedBlock } from './patch';
import { FRONT_MATTER } from '../parse';
import { buildDefinitions, patchDefinitions } from './definitions';
import { articleIndex, articleIndexAfter, buildReferences, patchReferences, readsTitles, retargetReferences, type ArticleIndex } from './references';
import { addFacts, buildMetadata, sameCountKeys, sumFacts, type FactSums, type OutlineFacts } from './metadata';
import type { Clause, CrossReference, Definition, DocumentMetadata, OutlineNode, PolicyDocument } from './types';
import { firstSpanAt } from './search';
import { AnalysisCache } from '../analysis-cache';

export interface BuildOptions {
  /** Maps a subject phrase to a role id (from the knowledge base). */
  findRole?: (text: string) => string | undefined;
  /** Receives the time of each step (profiling). */
  onTiming?: (what: string, ms: number) => void;
}

export function buildDocument(text: string, options: BuildOptions = {}): PolicyDocument {
  // A BOM would hide a first-line heading from the parser: read it as a space (same length, offsets unchanged).
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const timing = options.onTiming;
  let t = timing ? performance.now() : 0;
  const step = timing ? (what: string) => { const now = performance.now(); timing(`model:${what}`, now - t); t = now; } : () => {};
  const state = buildModelState(text, source, step);
  const { ex, facts, root, tables } = state;
  const nodes = state.nodes.slice();
  step('outline');
  const findRole = options.findRole ?? (() => undefined);

  // The language server: what was derived from the state before the edit it made in place, updated (see derive()).
  const prior = retaining() ? state.derived : undefined;
  let derived: DerivedModel;
  // When the outline is the previous analysis's (no change, or changed in place), the nodes
  // retitled (see retitledInPlace). Read before patchDerived, which brings prior's version up.
  let kept: OutlineNode[] | undefined;
  let patched = false;
  const edited = prior && state.edit && prior.version === state.version - 1 ? state.edit : undefined;
  if (edited && !edited.structural) kept = edited.retitled;
  if (prior && prior.version === state.version) { derived = prior; kept = NONE; }
  else if (prior && edited && !edited.marks) { derived = patchDerived(prior, state, edited, findRole, step); patched = true; }
  else {
    // The cached sentence of each clause (a retained Memo): definitions and references read their text-only facts there.
    const infos: (SentenceInfo | undefined)[] | undefined = retaining() ? [] : undefined;
    const clauses = buildClauses(root, nodes, findRole, infos);
    step('clauses');
    const definitions = buildDefinitions(nodes, clauses, tables, infos);
    step('definitions');
    const index = articleIndex(nodes);
    const references = buildReferences(nodes, clauses, infos, index);
    step('references');
    const outline: OutlineFacts = {};
    const sums = facts && retaining() ? sumFacts(facts) : undefined;
    const metadata = buildMetadata({ text: source, frontMatter: ex.frontMatter, root, nodes, firstLine: firstLineOf(ex), facts, sums, outline });
    derived = { version: state.version, clauses, infos, definitions, references, index, outline, sums, metadata };
  }
  if (retaining()) state.derived = derived;
  // A fresh metadata object for every analysis (caches key on it, see analysisKey).
  const metadata = derived === prior || derived.metadata === prior?.metadata
    ? { ...derived.metadata }
    : derived.metadata;
  step('metadata');
  // Fresh lists (the state's lists change in place with the next edit; caches key on the lists).
  const doc: PolicyDocument = { text, root, nodes, clauses: derived.clauses.slice(), definitions: derived.definitions.slice(), references: derived.references.slice(), articles: derived.index, tables: tables.slice(), comments: ex.comments.slice(), codeSpans: ex.codeSpans.slice(), metadata };
  if (kept) keptOutlines.set(doc, kept);
  else if (edited?.structural) rebuiltOutlines.set(doc, { a: edited.a, b: edited.b });
  if (patched && derived.clauseEdit) patchedClauses.set(doc, derived.clauseEdit);
  return doc;
}

/**
 * Clauses [a, b) are new; the `a` before them are the previous analysis's first clauses (the
 * same objects, spans and texts) and those from b on are its clauses from b - shift on (the same
 * objects and texts, moved by the edit's length difference).
 */
export interface ClauseEdit { a: number; b: number; shift: number }
const patchedClauses = new AnalysisCache<PolicyDocument, ClauseEdit>();

/** After an edit that changed one block in place (patchDerived), which clauses are new (ClauseEdit); undefined otherwise. */
export function clausesChanged(doc: PolicyDocument): ClauseEdit | undefined {
  return patchedClauses.get(doc);
}

const NONE: OutlineNode[] = [];
const keptOutlines = new AnalysisCache<PolicyDocument, OutlineNode[]>();
const rebuiltOutlines = new AnalysisCache<PolicyDocument, { a: number; b: number }>();

/**
 * When the outline was built again in part only (outline.ts: resumed at a heading or chapter
 * before the edit, the previous outline kept from one after it; a retained Memo only), the nodes
 * [a, b) that were made again. The nodes before them are the previous analysis's first `a` nodes,
 * those from b on its last ones (same objects, same parents, depths, kinds and markers; the text
 * changed only among the lines built again). Undefined otherwise.
 */
export function rebuiltInPart(doc: PolicyDocument): { readonly a: number; readonly b: number } | undefined {
  return rebuiltOutlines.get(doc);
}

/**
 * When the outline is the previous analysis's changed in place (patch.ts: the same nodes, with
 * their kinds, depths and markers; a retained Memo only), the nodes whose title changed. Undefined
 * otherwise (the outline was built again, in part or whole).
 */
export function retitledInPlace(doc: PolicyDocument): readonly OutlineNode[] | undefined {
  return keptOutlines.get(doc);
}

/**
 * What buildDocument derives from a model state (clauses and what is read from them), kept with
 * the state by the language server: after an edit that changed one block in place (patch.ts) only
 * the block's part is made anew, the rest is moved.
 */
export interface DerivedModel {
  /** The state's version these were derived from. */
  version: number;
  clauses: Clause[];
  infos?: (SentenceInfo | undefined)[];
  definitions: Definition[];
  references: CrossReference[];
  index: ArticleIndex;
  outline: OutlineFacts;
  sums?: FactSums;
  metadata: DocumentMetadata;
  /** The clauses the last patchDerived() made anew (see clausesChanged; read right after it). */
  clauseEdit?: ClauseEdit;
}

/**
 * `prior` (derived from the state before `edit`) updated in place for the state now: the clauses,
 * definitions and references of the edited block anew, the later ones moved by the edit's delta.
 * What depends on titles elsewhere is derived again when a title it reads changed.
 */
function patchDerived(prior: DerivedModel, state: ModelState, edit: PatchedBlock, findRole: (text: string) => string | undefined, step: (what: string) => void): DerivedModel {
  const { start, oldEnd, delta, L0, count } = edit;
  const { root, nodes, ex } = state;
  // Clauses: those of the block's segments anew, in order (a segment is a line; the clauses are in
  // document order), the later ones moved; the clause spans are still the previous text's.
  const clauses = prior.clauses, infos = prior.infos;
  const i0 = firstSpanAt(clauses, start), i1 = firstSpanAt(clauses, oldEnd);
  const made: Clause[] = [];
  const madeInfos: (SentenceInfo | undefined)[] | undefined = infos ? [] : undefined;
  for (let i = L0; i < L0 + count; i++) {
    const segment = state.lineSegment[i];
    if (!segment) continue;
    const node = state.lineOwner[i];
    segmentClauses(node, segment, isMarked(node), findRole, made, madeInfos);
  }
  if (delta !== 0) for (let i = i1; i < clauses.length; i++) shiftClause(clauses[i], delta);
  if (i1 > i0 || made.length > 0) {
    clauses.splice(i0, i1 - i0, ...made);
    if (infos) infos.splice(i0, i1 - i0, ...madeInfos!);
  }
  prior.clauseEdit = { a: i0, b: i0 + made.length, shift: made.length - (i1 - i0) };
  step('clauses');

  // A heading's title decides which items define terms, which articles are 附則's, the policy topics.
  // (An outline built again: the nodes outside the lines built again have the same ancestors, and
  // the definitions they make are the same; articles and titles may have changed anywhere.)
  const structural = edit.structural === true;
  // An article's caption (（定義）) decides which items define terms as a heading's title does;
  // a heading's title also decides which articles are 附則's and the policy topics.
  const retitledHeading = !structural && edit.retitled.some((n) => n.kind === 'heading');
  const headings = retitledHeading || (!structural && edit.captions === true);
  const blockTables = state.tables.slice(edit.T0, edit.T0 + edit.tables);
  if (headings) prior.definitions = buildDefinitions(nodes, clauses, state.tables, infos);
  else patchDefinitions(prior.definitions, edit, nodes, edit.a, edit.b, made, blockTables, madeInfos);
  step('definitions');

  if (retitledHeading) prior.index = articleIndex(nodes);
  else if (structural) prior.index = articleIndexAfter(prior.index, nodes, edit.a, edit.b);
  patchReferences(prior.references, edit, nodes, prior.index, made, madeInfos);
  // Targets elsewhere may have changed with the outline (or with a title or caption a reference names): found again for every reference.
  if (retitledHeading || structural || (edit.retitled.length > 0 && prior.references.some(readsTitles))) {
    prior.references = retargetReferences(prior.references, nodes, clauses, prior.index) ?? buildReferences(nodes, clauses, infos, prior.index);
  }
  step('references');

  // Metadata: the nodes' part kept unless a heading or a chapter was retitled, the text facts' sums updated.
  if (retitledHeading || structural || edit.retitled.some((n) => n.marker?.style === 'chapter') || L0 === 0) prior.outline = {};
  let sums = prior.sums;
  if (!structural && sums && state.facts && edit.oldFacts && edit.facts && sameCountKeys(edit.oldFacts, edit.facts)) {
    addFacts(sums, edit.oldFacts, -1);
    addFacts(sums, edit.facts, 1);
  } else sums = state.facts ? sumFacts(state.facts) : undefined;
  prior.sums = sums;
  prior.metadata = buildMetadata({ text: state.source, frontMatter: ex.frontMatter, root, nodes, firstLine: firstLineOf(ex), facts: state.facts, sums, outline: prior.outline });
  prior.version = state.version;
  return prior;
}

const MODEL_STATE = 'model';

/**
 * Lines, outline and tables of `source`: with a retained Memo, the previous analysis's state
 * changed in place when the edit allows it (patch.ts), else built from the blocks (the unchanged
 * ones from the previous state or the Memo).
 */
function buildModelState(text: string, source: string, step: (what: string) => void): ModelState {
  return latest<ModelState>(MODEL_STATE, text, (previous) => {
    const patched = previous && patchModel(previous.value, source, previous);
    if (patched) return patched;
    const { ex, facts, units, from, tailFrom } = extractBlocks(source, previous && { units: previous.value.units, ex: previous.value.ex, ...previous });
    step('blocks');
    const { root, nodes, lineOwner, lineRole, lineSegment, rebuilt } = buildOutline(source, ex.lines, previous && from ? { ...previous.value, from, tailFrom, prefix: previous.prefix, suffixStart: previous.suffixStart } : undefined);
    const tables = attachBlocks(ex, root, lineOwner);
    const frontMatterEnd = source.startsWith('---') ? FRONT_MATTER.exec(source)?.[0].length : undefined;
    const state: ModelState = { source, frontMatterEnd, ex, units, facts, root, nodes, lineOwner, lineRole, lineSegment, tables, version: 0 };
    // What was derived from the previous state stays valid outside the lines built again, when the
    // text changed only among them (a table or code block elsewhere may have changed without moving a line).
    const prior = previous?.value;
    if (prior && prior.derived && rebuilt) {
      const { from: L0, to, a, b } = rebuilt;
      const start = L0 > 0 ? ex.lines[L0].start : 0;
      const end = to < ex.lines.length ? ex.lines[to].start : source.length;
      if (previous.prefix >= start && previous.suffixStart <= end) {
        const T0 = firstSpanAt(tables, start), T1 = firstSpanAt(tables, end);
        state.version = prior.version + 1;
        state.derived = prior.derived;
        state.edit = { start, oldEnd: end - previous.delta, end, delta: previous.delta, L0, count: to - L0, T0, tables: T1 - T0, a, b, retitled: [], marks: false, structural: true };
      }
    }
    return state;
  });
}

/** Innermost outline node whose span contains offset. */
export function nodeAt(doc: PolicyDocument, offset: number): OutlineNode {
  let node = doc.root;
  for (;;) {
    const child = node.children.find((c) => c.span.start <= offset && offset <= c.span.end);
    if (!child) return node;
    node = child;
  }
}

/** The whole text of a node including its descendants. */
export function nodeText(doc: PolicyDocument, node: OutlineNode): string {
  return doc.text.slice(node.span.start, node.span.end);
}

export function inCode(doc: PolicyDocument, offset: number): boolean {
  // A code block left open runs to the end of the document, cursor included.
  return doc.codeSpans.some((s) => s.start <= offset && (offset < s.end || s.end === doc.text.length));
}

/** Whether any part of [start, end) lies in code (inline code or a code block). */
export function overlapsCode(doc: PolicyDocument, start: number, end: number): boolean {
  return doc.codeSpans.some((c) => c.start < end && start < c.end) || inCode(doc, start);
}

/**
 * An object that stands for one analysis of a document, shared by its section views. Caches of
 * facts about outline nodes key on it, not on the nodes: the language server keeps node objects
 * from one analysis to the next and changes them in place (patch.ts).
 */
export function analysisKey(doc: PolicyDocument): object {
  return doc.metadata;
}

const sortedClauses = new AnalysisCache<PolicyDocument, Clause[]>();
/** Whether the clauses start in document order, as the model usually lists them: then no sorted copy is needed. */
function inOrder(clauses: Clause[]): boolean {
  for (let i = 1; i < clauses.length; i++) if (clauses[i].span.start < clauses[i - 1].span.start) return false;
  return true;
}
/** The clause whose span contains [start, end) (clauses do not overlap), by binary search. */
export function clauseContaining(doc: PolicyDocument, start: number, end: number): Clause | undefined {
  let list = sortedClauses.get(doc);
  if (!list) { list = inOrder(doc.clauses) ? doc.clauses : [...doc.clauses].sort((a, b) => a.span.start - b.span.start); sortedClauses.set(doc, list); }
  let lo = 0, hi = list.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.start <= start) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  // Several clauses may start at or before `start`; the containing one is among the last of them.
  for (let i = found; i >= 0 && i >= found - 2; i--) if (list[i].span.start <= start && end <= list[i].span.end) return list[i];
  return undefined;
}

const lineStartCache = new AnalysisCache<PolicyDocument, number[]>();
/** Offset where the line holding `offset` starts (\n-separated lines; binary search, not a scan back). */
export function lineStartOf(doc: PolicyDocument, offset: number): number {
  let starts = lineStartCache.get(doc);
  if (!starts) {
    starts = [0];
    for (let i = doc.text.indexOf('\n'); i >= 0; i = doc.text.indexOf('\n', i + 1)) starts.push(i + 1);
    lineStartCache.set(doc, starts);
  }
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return starts[lo];
}

/** The document's first line when it is a plain text line (metadata reads a title written there). */
function firstLineOf(ex: { lines: { kind: string; text: string; start: number; end: number }[] }): { text: string; span: { start: number; end: number } } | undefined {
  const l = ex.lines[0];
  return l && l.kind === 'line' ? { text: l.text, span: { start: l.start, end: l.end } } : undefined;
}
