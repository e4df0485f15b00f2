/**
 * Where the document writes each guideline section the requirements data knows, and
 * which required elements each part contains. Shared by the required-elements rule,
 * hover and the coverage report.
 */
import type { OutlineNode, PolicyDocument, Revision } from './model/types';
import { ancestors, differing, realigned } from './model/outline';
import { analysisKey, nodeText, rebuiltInPart } from './model/document';
import { foldedDocument, type Searchable } from './model/folded';
import { fold } from './normalize';
import { matchesAny } from './concepts';
import { latest, memoizedAt, own, retaining } from './memo';
import { nodesChanged, numberingChange } from './numbering-facts';
import type { Knowledge, RequirementElement, RequirementPart, RequirementSection } from '../knowledge';
import { AnalysisCache } from './analysis-cache';
import { nodeIndex } from './model/search';

export interface ElementStatus { element: RequirementElement; present: boolean }
/** `virtual`: no node names the part, but some of its elements are written elsewhere in the section. */
export interface PartMatch { part: RequirementPart; node: OutlineNode; elements: ElementStatus[]; virtual?: boolean }
export interface SectionMatch { section: RequirementSection; node: OutlineNode; parts: PartMatch[]; missingParts: RequirementPart[] }

/**
 * What a node's title alone tells: its folded form (fold of 「caption title」), whether it can name
 * a section, and the results of matching it against expression lists (by list). Cached by the
 * title across nodes and analyses: outlines repeat titles, and an edit leaves most titles as they were.
 */
interface TitleInfo { folded: string; titled: boolean; matches: Map<string[], boolean>; recognised?: RequirementSection[]; recognisedFrom?: RequirementSection[] }
/** By heading or not, then caption, then title: everything titleLike() and the folded title read (no key to build). */
const titleInfos: Map<string, Map<string, TitleInfo>>[] = [new Map(), new Map()];
let titleInfoCount = 0;
/** Headings, 見出し-bearing articles and short title-like items can name a section; sentences cannot. */
const titleLike = (n: OutlineNode) => titleLikeFacts(n.kind, n.caption, n.title);
const titleLikeFacts = (kind: OutlineNode['kind'], caption: string | undefined, title: string) => kind === 'heading' || !!caption || (title.length <= 50 && (!title.includes('。') || !/。/.test(title.replace(/（[^）]*）/g, ''))));
/** A sentence-length item: titleLike() is false whatever the title says (most nodes; their titles are not hashed). */
const longItemFacts = (kind: OutlineNode['kind'], caption: string | undefined, title: string) => kind !== 'heading' && !caption && title.length > 50;
const longItem = (n: OutlineNode) => longItemFacts(n.kind, n.caption, n.title);
/** Titles.isTitled() from a node's kind, caption and title. */
const titledFacts = (kind: OutlineNode['kind'], caption: string | undefined, title: string) => !longItemFacts(kind, caption, title) && titleLikeFacts(kind, caption, title);

/** The title facts of a document's nodes (by node id), and its title-like nodes. */
class Titles {
  private readonly infos: (TitleInfo | undefined)[] = [];
  private list?: OutlineNode[];
  constructor(private readonly doc: PolicyDocument) {}

  of(n: OutlineNode): TitleInfo {
    let info = this.infos[n.id];
    if (!info) {
      const caption = n.caption ?? '';
      const byCaption = titleInfos[n.kind === 'heading' ? 1 : 0];
      let byTitle = byCaption.get(caption);
      info = byTitle?.get(n.title);
      if (!info) {
        if (titleInfoCount > 50_000) { for (const m of titleInfos) m.clear(); titleInfoCount = 0; byTitle = undefined; }
        if (!byTitle) { byTitle = new Map(); byCaption.set(own(caption), byTitle); }
        // Copies: a cached string must not be a slice of this version of the document.
        info = { folded: own(fold(`${caption} ${n.title}`)), titled: titleLike(n), matches: new Map() };
        byTitle.set(own(n.title), info);
        titleInfoCount++;
      }
      this.infos[n.id] = info;
    }
    return info;
  }

  /** matchesAny(folded title, expressions), cached with the title. */
  matches(n: OutlineNode, expressions: string[]): boolean {
    const info = this.of(n);
    let m = info.matches.get(expressions);
    if (m === undefined) { m = matchesAny(info.folded, expressions); info.matches.set(expressions, m); }
    return m;
  }

  isTitled(n: OutlineNode): boolean {
    return !longItem(n) && this.of(n).titled;
  }

  /** The document's title-like nodes, in document order. */
  get titled(): OutlineNode[] {
    if (!this.list) {
      const nodes = this.doc.nodes, kept = this.keptIndexes;
      this.list = kept ? kept.map((i) => nodes[i]) : nodes.filter((n) => this.isTitled(n));
    }
    return this.list;
  }
  private keptIndexes?: readonly number[];

  /**
   * Sets the title-like nodes (by index in doc.nodes, ascending) when the shape kept them (see
   * carryNaming); made into nodes when asked for (a shape that keeps its sections never asks).
   */
  setTitled(indexes: readonly number[]): void {
    this.keptIndexes = indexes;
    this.list = undefined;
  }

  /**
   * Takes the title facts kept with the shape's outline facts (by node index; see Shape) for the
   * nodes that have none yet: with a retained Memo, a pass over the nodes then reads an array
   * instead of looking each title up.
   */
  seed(kept: readonly (TitleInfo | undefined)[]): void {
    const nodes = this.doc.nodes;
    for (let i = 0; i < nodes.length && i < kept.length; i++) {
      const info = kept[i];
      if (info && !this.infos[nodes[i].id]) this.infos[nodes[i].id] = info;
    }
  }

  /** The title facts of every node by index, for the next analysis (undefined where none was asked for). */
  byIndex(): (TitleInfo | undefined)[] {
    const nodes = this.doc.nodes;
    const out: (TitleInfo | undefined)[] = new Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) out[i] = this.infos[nodes[i].id];
    return out;
  }
}
const titlesByDoc = new AnalysisCache<PolicyDocument, Titles>();
function titlesOf(doc: PolicyDocument): Titles {
  let t = titlesByDoc.get(doc);
  if (!t) { t = new Titles(doc); titlesByDoc.set(doc, t); }
  return t;
}

/** fold() of a node's whole text, to search in; ranges of the document folded once when that is exact. */
export function foldedText(doc: PolicyDocument, n: OutlineNode): Searchable {
  const f = foldedDocument(doc);
  if (!f.exact) return fold(n.kind === 'root' ? doc.text : nodeText(doc, n));
  return n.kind === 'root' ? f.range(0, f.length) : f.range(n.span.start, n.span.end);
}

/**
 * foldedText(doc, n) for the fix helpers, which walk down a subtree: ranges of the folded
 * document, which an edit updates cheaply (foldedDocument), rather than folding each node.
 */
function textOf(doc: PolicyDocument, n: OutlineNode): Searchable {
  if (foldedDocument(doc).exact) return foldedText(doc, n);
  // Otherwise each node's text is folded on its own: once per document (fix helpers ask again and again).
  let byNode = nodeFolds.get(doc);
  if (!byNode) { byNode = new Map(); nodeFolds.set(doc, byNode); }
  let t = byNode.get(n);
  if (t === undefined) { t = foldedText(doc, n); byNode.set(n, t); }
  return t;
}
const nodeFolds = new AnalysisCache<PolicyDocument, Map<OutlineNode, Searchable>>();

/** Memo space of a part's element presence (one per part: the key is then the node's text alone). */
const presenceSpaces = new WeakMap<RequirementPart, string>();
/**
 * For each element of the part (all revisions), whether the node's text holds it. Cached by the
 * node's text range: after an edit only the parts that hold the edit are examined again.
 */
function presence(doc: PolicyDocument, n: OutlineNode, section: RequirementSection, part: RequirementPart): boolean[] {
  const check = (text: Searchable) => part.elements.map((e) => matchesAny(text, e.present));
  // A one-shot analysis (the CLI) folds the document once and slices it: node texts nest, and
  // folding each of them would fold most of the document several times.
  if (!retaining()) return check(foldedText(doc, n));
  let space = presenceSpaces.get(part);
  if (!space) { space = `conformance:${section.id}:${part.id}`; presenceSpaces.set(part, space); }
  // By position: a node the edit did not touch is found without hashing its text. The folded
  // document is updated after an edit (foldedDocument), so a node's folded text is usually a slice of it.
  const start = n.kind === 'root' ? 0 : n.span.start, end = n.kind === 'root' ? doc.text.length : n.span.end;
  return memoizedAt(space, doc.text, start, end, '', () => check(foldedText(doc, n)));
}

export const applies = (revisions: Revision[] | undefined, revision: Revision) => !revisions || revisions.includes(revision);

/** The hits that have no other hit as an ancestor (hits are in document order). */
function outermost(nodes: OutlineNode[]): OutlineNode[] {
  if (nodes.length < 2) return nodes;
  const set = new Set(nodes);
  return nodes.filter((n) => {
    for (let a = n.parent; a; a = a.parent) if (set.has(a)) return false;
    return true;
  });
}

/** Sections whose recognise expressions a title matches (kept with the title). */
function recognisedBy(titles: Titles, n: OutlineNode, all: RequirementSection[]): RequirementSection[] {
  const info = titles.of(n);
  if (info.recognisedFrom !== all) { info.recognised = all.filter((s) => matchesAny(info.folded, s.recognise)); info.recognisedFrom = all; }
  return info.recognised!;
}

/**
 * For each section of `all`, the title-like nodes that name it (naming lists: ascending node
 * indexes), read per section when asked: a shape that keeps most of its sections asks for few, and
 * making every section's list of nodes and every node's list of sections up front took ~0.35 ms of
 * each edit that changed a title in a 1 MB 例規.
 */
class Naming {
  constructor(private readonly nodes: OutlineNode[], private readonly all: RequirementSection[], private readonly naming: number[][]) {}

  /** The nodes that name `section` and no other guideline section (a chapter holding both names two), in document order. */
  onlyNaming(section: RequirementSection): OutlineNode[] {
    const k = this.all.indexOf(section);
    if (k < 0) return [];
    const others = this.naming.filter((list, j) => j !== k && list.length > 0 && this.all[j].kind === 'section');
    return this.naming[k].filter((i) => !others.some((list) => has(list, i))).map((i) => this.nodes[i]);
  }
}
const namingIndexes = new AnalysisCache<PolicyDocument, Naming>();
function namingIndex(doc: PolicyDocument, all: RequirementSection[]): Naming {
  let index = namingIndexes.get(doc);
  if (!index) {
    index = new Naming(doc.nodes, all, namingLists(titlesOf(doc), doc.nodes, all).naming);
    namingIndexes.set(doc, index);
  }
  return index;
}

/** Calls `add` with the index in `all` of each section the node at `i` names (kb order). */
function namesOf(titles: Titles, nodes: OutlineNode[], i: number, all: RequirementSection[], add: (k: number) => void): void {
  for (const s of recognisedBy(titles, nodes[i], all)) if (!excludedVariant(titles, nodes[i], s)) add(all.indexOf(s));
}

/** The title-like nodes (indexes, also set in `titles`) and, for each section of `all`, the nodes that name it: from every node. */
function namingLists(titles: Titles, nodes: OutlineNode[], all: RequirementSection[]): { titled: number[]; naming: number[][] } {
  const titled: number[] = [];
  const naming: number[][] = all.map(() => []);
  for (let i = 0; i < nodes.length; i++) {
    if (!titles.isTitled(nodes[i])) continue;
    titled.push(i);
    namesOf(titles, nodes, i, all, (k) => naming[k].push(i));
  }
  titles.setTitled(titled);
  return { titled, naming };
}

/** sectionNodes() of the guideline sections (not procedures), computed once per document. */
const sectionNodeCaches = new AnalysisCache<PolicyDocument, Map<RequirementSection, OutlineNode[]>>();

/**
 * A title that names two requirement sections (「第8章 業務委託と外部サービスの利用」) is a chapter
 * holding both: neither section is that node; each is found inside it, or is absent.
 */
function sectionNodes(doc: PolicyDocument, section: RequirementSection, all: RequirementSection[]): OutlineNode[] {
  if (section.kind === 'procedure') {
    const title = fold(doc.metadata.title ?? '');
    if (!title || !matchesAny(title, section.recognise)) return [];
    if (section.exclude && matchesAny(title, section.exclude)) return [];
    return [doc.root];
  }
  let cache = sectionNodeCaches.get(doc);
  if (!cache) { cache = new Map(); sectionNodeCaches.set(doc, cache); }
  let nodes = cache.get(section);
  if (!nodes) {
    // In document order; a node that also names another guideline section is a chapter holding both.
    nodes = outermost(namingIndex(doc, all).onlyNaming(section));
    cache.set(section, nodes);
  }
  return nodes;
}

/** The node or an ancestor is an excluded variant of the section. */
function excludedVariant(titles: Titles, n: OutlineNode, section: RequirementSection): boolean {
  if (!section.exclude) return false;
  for (let a: OutlineNode | undefined = n; a && (a === n || a.kind !== 'root'); a = a.parent) if (titles.matches(a, section.exclude)) return true;
  return false;
}

/** The title-like nodes a section node's parts are looked for in: its subtree (itself included), or the whole document. */
function partCandidates(titles: Titles, sectionNode: OutlineNode): OutlineNode[] {
  if (sectionNode.kind === 'root') return titles.titled;
  const out: OutlineNode[] = [];
  const visit = (n: OutlineNode) => { if (titles.isTitled(n)) out.push(n); for (const c of n.children) visit(c); };
  visit(sectionNode);
  return out;
}

function partNodes(titles: Titles, sectionNode: OutlineNode, section: RequirementSection, part: RequirementPart, candidates: OutlineNode[]): OutlineNode[] {
  if (part.recognise.length === 0) return [sectionNode];
  // Between the part and the section node, nothing may be an excluded variant (8.4 取り扱わない場合 inside chapter 8).
  const excluded = (n: OutlineNode) => {
    if (!section.exclude) return false;
    for (let a: OutlineNode | undefined = n; a && a !== sectionNode && a.kind !== 'root'; a = a.parent) if (titles.matches(a, section.exclude)) return true;
    return false;
  };
  const hits = candidates.filter((n) => titles.matches(n, part.recognise) && !excluded(n));
  return outermost(hits);
}

/** The elements of a part that apply to a revision, with their index in the part (presence is known for all of them). */
const wantedCache = new WeakMap<RequirementPart, Map<Revision, { element: RequirementElement; i: number }[]>>();
function wantedElements(part: RequirementPart, revision: Revision): { element: RequirementElement; i: number }[] {
  let byRevision = wantedCache.get(part);
  if (!byRevision) { byRevision = new Map(); wantedCache.set(part, byRevision); }
  let wanted = byRevision.get(revision);
  if (!wanted) {
    wanted = [];
    part.elements.forEach((element, i) => { if (applies(element.revisions, revision)) wanted!.push({ element, i }); });
    byRevision.set(revision, wanted);
  }
  return wanted;
}

export function analyzeConformance(doc: PolicyDocument, revision: Revision, kb: Knowledge): SectionMatch[] {
  return perAnalysis(matchCaches, doc, revision, kb, () => conformanceShape(doc, revision, kb).sections.map((s) => sectionMatchOf(doc, revision, s)));
}

/**
 * Per analysis (its section views share analysisKey) and revision: hover and the coverage report
 * ask after the analysis, outside its Memo, where the shape would be worked out from scratch at
 * every request (15–40 ms on a 1 MB document for each hover on a heading or marker).
 */
type PerRevision<T> = Map<Revision, { kb: Knowledge; value: T }>;
const shapeCaches = new AnalysisCache<object, PerRevision<{ sections: readonly ShapeSection[] }>>();
const matchCaches = new AnalysisCache<object, PerRevision<SectionMatch[]>>();
function perAnalysis<T>(cache: AnalysisCache<object, PerRevision<T>>, doc: PolicyDocument, revision: Revision, kb: Knowledge, compute: () => T): T {
  let byRevision = cache.get(analysisKey(doc));
  const hit = byRevision?.get(revision);
  if (hit && hit.kb === kb) return hit.value;
  const value = compute();
  if (!byRevision) { byRevision = new Map(); cache.set(analysisKey(doc), byRevision); }
  byRevision.set(revision, { kb, value });
  return value;
}

/** A section the document writes, with its parts' nodes (by index in doc.nodes, -1 for the root): see Shape. */
export type ShapeSection = Shape['sections'][number];

/**
 * Where the document writes each section and its parts, without element presence (see Shape):
 * with a retained Memo, the previous analysis' shape when the outline's facts allow it.
 */
export function conformanceShape(doc: PolicyDocument, revision: Revision, kb: Knowledge): { sections: readonly ShapeSection[] } {
  return perAnalysis(shapeCaches, doc, revision, kb, () => shapeNow(doc, revision, kb));
}

/** How the language server's analyses came by the conformance shape (tests, profiling). */
export const shapeStats = { kept: 0, realigned: 0, realignedTitles: 0, titles: 0, outline: 0, carried: 0, sectionsKept: 0 };

function shapeNow(doc: PolicyDocument, revision: Revision, kb: Knowledge): { sections: readonly ShapeSection[] } {
  if (!retaining()) return shapeOf(doc, revision, kb, undefined);
  return latest<Shape>(`conformance-shape:${revision}`, doc.text, (old) => {
    // Worked out in every analysis, so that the next one can tell whether the outline kept its nodes (see refresh).
    numberingChange(doc);
    if (old && old.value.from && old.value.from.depth.length !== doc.nodes.length) {
      // Nodes added or removed: the same shape when they name nothing, else the shape made again
      // from the moved one where they and retitled nodes reach (see realign).
      const moved = realign(old.value, doc, kb, old);
      if (moved) {
        shapeStats.realigned++;
        if (moved.change === 'none') return moved.next;
        shapeStats.realignedTitles++;
        return shapeOf(doc, revision, kb, moved.next, moved.next.from);
      }
    }
    const change = old ? refresh(old.value, doc, kb, old) : 'outline';
    shapeStats[change === 'none' ? 'kept' : change]++;
    if (change === 'none') return old!.value;
    // Titles that match other expressions: the facts are up to date, the shape is not.
    return shapeOf(doc, revision, kb, old?.value, change === 'titles' ? old!.value.from : undefined);
  });
}

/**
 * Where the sections and their parts are written (nodes by index in doc.nodes, -1 for the root):
 * everything of analyzeConformance() but element presence. It depends only on the outline (each
 * node's depth, kind, caption and title) and the document's title, so after an edit that leaves
 * them as they were (most edits: typing in a sentence) the previous shape is reused.
 */
interface Shape {
  kb: Knowledge;
  sections: { section: RequirementSection; node: number; parts: { part: RequirementPart; nodes: number[] | undefined }[] }[];
  /** What the shape was computed from (copies: kept in the Memo), when the Memo outlives the analysis; kept up to date by refresh(). */
  from?: {
    docTitle: string | undefined; depth: Int32Array; kind: OutlineNode['kind'][]; caption: (string | undefined)[]; title: string[]; titleStart: Int32Array; stale?: boolean;
    /** Each node's title facts (Titles.of), as shapeOf() left them; undefined for a node whose title or caption changed since. */
    info?: (TitleInfo | undefined)[];
    /**
     * The title-like nodes (ascending indexes), kept up to date by refresh(), and for each section
     * of kb.requirements the nodes that name it (namingIndex), as the last shapeOf() left them;
     * `retitled`: the nodes whose title facts refresh() found changed since (see carryNaming).
     * Moved with the nodes by realign(); undefined in new facts (outlineFacts): worked out from all nodes again.
     */
    titled?: number[];
    naming?: number[][];
    retitled?: number[];
    /** refresh() found the document's title changed (procedures are recognised by it). */
    docRetitled?: boolean;
    /** Sections that nodes realign() removed named (see carryNaming). */
    touched?: Set<RequirementSection>;
  };
}

function shapeOf(doc: PolicyDocument, revision: Revision, kb: Knowledge, previous: Shape | undefined, facts?: Shape['from']): Shape {
  const titles = titlesOf(doc);
  // The outline facts now (a retained Memo): the title facts kept with them are the nodes' (see Shape).
  const from = retaining() ? facts ?? outlineFacts(doc, previous?.from) : undefined;
  if (from?.info) titles.seed(from.info);
  const carried = from ? carryNaming(doc, kb, titles, from) : undefined;
  const at = (n: OutlineNode) => (n.kind === 'root' ? -1 : nodeIndex(doc.nodes, n));
  const sections: Shape['sections'] = [];
  // A document that is itself a procedure (Web会議利用手順 …) is checked as that procedure only,
  // not also as sections of a 対策基準 (its articles would otherwise look like 6.1(21)).
  const procedures = kb.requirements.filter((s) => s.kind === 'procedure' && applies(s.revisions, revision) && sectionNodes(doc, s, kb.requirements).length > 0);
  // Only some titles changed (the nodes are those of the previous shape, see carryNaming): a
  // section that no changed node named before or names now has the same section nodes, and a
  // section node whose subtree holds no such node the same parts (they are matched in its
  // subtree, exclusion read up to it). Not for a procedure document (recognised by its title).
  const reuse = carried && previous && !from!.docRetitled && procedures.length === 0 && previous.sections.every((s) => s.node >= 0) ? previous.sections : undefined;
  let r = 0;
  for (const section of procedures.length ? procedures : kb.requirements) {
    if (!applies(section.revisions, revision)) continue;
    // The previous shape's entries for this section (sections in the same order, see below).
    const start = r;
    while (reuse && r < reuse.length && reuse[r].section === section) r++;
    if (reuse && !carried!.touched.has(section)) {
      for (let k = start; k < r; k++) {
        const s = reuse[k], affected = carried!.affected;
        // The first changed node from the section node on lies in its subtree: its parts are matched again.
        const first = lowerBound(affected, s.node);
        const holds = first < affected.length && affected[first] < subtreeEnd(from!.depth, s.node);
        sections.push(holds ? { section, node: s.node, parts: partsOf(doc, titles, revision, section, doc.nodes[s.node], at) } : s);
      }
      shapeStats.sectionsKept += r - start;
      continue;
    }
    for (const node of sectionNodes(doc, section, kb.requirements)) sections.push({ section, node: at(node), parts: partsOf(doc, titles, revision, section, node, at) });
  }
  const shape: Shape = { kb, sections };
  if (from) { from.info = titles.byIndex(); shape.from = from; }
  return shape;
}

/** The parts of a section written at `node` (a shape entry's parts). */
function partsOf(doc: PolicyDocument, titles: Titles, revision: Revision, section: RequirementSection, node: OutlineNode, at: (n: OutlineNode) => number): ShapeSection['parts'] {
  const parts: ShapeSection['parts'] = [];
  let candidates: OutlineNode[] | undefined;
  for (const part of section.parts) {
    if (!applies(part.revisions, revision)) continue;
    // undefined: the section node itself; [] none (judged on the whole section).
    if (part.recognise.length === 0) { parts.push({ part, nodes: undefined }); continue; }
    parts.push({ part, nodes: partNodes(titles, node, section, part, (candidates ??= partCandidates(titles, node))).map(at) });
  }
  return parts;
}

/**
 * The title-like nodes and the naming index (namingIndex) of a shape built again, into `titles` and
 * the document's naming index. When the nodes are those the facts were made for and only some
 * titles changed (refresh() gave 'titles'), the lists kept in the facts are brought up to date
 * instead of reading every node: refresh() keeps the title-like nodes up to date, and only the
 * nodes whose title facts changed (`retitled`) and their subtrees (their exclude lists may exclude
 * what they hold) can name other sections than before.
 */
function carryNaming(doc: PolicyDocument, kb: Knowledge, titles: Titles, f: NonNullable<Shape['from']>): Carried | undefined {
  const nodes = doc.nodes, all = kb.requirements;
  let titled = f.titled, naming = f.naming;
  let carried: Carried | undefined;
  if (titled && naming && f.retitled && naming.length === all.length) {
    // The nodes whose naming may have changed: each retitled node and its subtree (ascending, once each).
    const affected: number[] = [];
    for (const i of [...f.retitled].sort((a, b) => a - b)) {
      let j = Math.max(i, affected.length ? affected[affected.length - 1] + 1 : 0);
      const end = subtreeEnd(f.depth, i);
      for (; j < end; j++) affected.push(j);
    }
    shapeStats.carried++;
    const touched = new Set<RequirementSection>(f.touched);
    if (affected.length) {
      const lo = affected[0], hi = affected[affected.length - 1];
      const gone = new Set(affected);
      naming = naming.map((list, k) => {
        // Only the part of the (ascending) list within [lo, hi] can hold affected nodes: a list of
        // the whole document's nodes is not walked for them.
        const a = lowerBound(list, lo), b = lowerBound(list, hi + 1);
        let i = a;
        while (i < b && !gone.has(list[i])) i++;
        if (i === b) return list;
        touched.add(all[k]);
        const kept = list.slice(0, i);
        for (; i < list.length; i++) if (i >= b || !gone.has(list[i])) kept.push(list[i]);
        return kept;
      });
      for (const j of affected) if (has(titled, j)) namesOf(titles, nodes, j, all, (k) => { insertSorted(naming![k], j); touched.add(all[k]); });
    }
    carried = { affected, touched };
    titles.setTitled(titled);
  } else {
    ({ titled, naming } = namingLists(titles, nodes, all));
  }
  f.titled = titled;
  f.naming = naming;
  f.retitled = undefined;
  f.touched = undefined;
  namingIndexes.set(doc, new Naming(nodes, all, naming));
  return carried;
}

/**
 * What carryNaming() found changed: the nodes whose naming may have changed (ascending), and the
 * sections that such a node named before or names now.
 */
interface Carried { affected: number[]; touched: Set<RequirementSection> }

/** The index after the subtree of the node at `i` (nodes in document order, by depth). */
function subtreeEnd(depth: Int32Array, i: number): number {
  let j = i + 1;
  while (j < depth.length && depth[j] > depth[i]) j++;
  return j;
}

/**
 * Ascending node indexes after nodes [a, end) were replaced: those before `a` kept, those from `end`
 * on moved by `shift`, and in between the new nodes [a, newEnd) for which `fresh` holds.
 */
function movedIndexes(list: readonly number[], a: number, end: number, shift: number, fresh?: (i: number) => boolean, newEnd = a): number[] {
  const out = list.slice(0, lowerBound(list, a));
  if (fresh) for (let i = a; i < newEnd; i++) if (fresh(i)) out.push(i);
  for (let k = lowerBound(list, end); k < list.length; k++) out.push(list[k] + shift);
  return out;
}

/** The first index in ascending `list` whose value is ≥ `v`. */
function lowerBound(list: readonly number[], v: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid] < v) lo = mid + 1; else hi = mid; }
  return lo;
}
const has = (list: readonly number[], v: number) => { const k = lowerBound(list, v); return k < list.length && list[k] === v; };
function insertSorted(list: number[], v: number): void {
  const k = lowerBound(list, v);
  if (list[k] !== v) list.splice(k, 0, v);
}
function removeSorted(list: number[], v: number): void {
  const k = lowerBound(list, v);
  if (list[k] === v) list.splice(k, 1);
}

/**
 * Every expression list a title is matched against: the sections' exclude lists first (the first
 * `excludes` of them), then their recognise lists and the parts' recognise lists.
 */
const expressionLists = new WeakMap<Knowledge, { all: string[][]; excludes: number }>();
function listsOf(kb: Knowledge): { all: string[][]; excludes: number } {
  let l = expressionLists.get(kb);
  if (!l) {
    const excludes = new Set(kb.requirements.flatMap((s) => (s.exclude ? [s.exclude] : [])));
    const all = [...new Set([...excludes, ...kb.requirements.flatMap((s) => [s.recognise, ...s.parts.map((p) => p.recognise)])])];
    l = { all, excludes: excludes.size };
    expressionLists.set(kb, l);
  }
  return l;
}

/**
 * What a node's title tells the shape: which expression lists it takes part in, one digit per
 * list. A node takes part in a recognise list only if it can name something (titleLike: a
 * sentence names no section or part), and in an exclude list if it can name something or holds
 * other nodes (an excluded chapter excludes what it holds; exclusion is read from a named node up
 * through its ancestors). A node that takes part in no list is left out of the shape whatever its
 * title says: a line break that shortens a sentence to a title-like length, typing in a sentence
 * that mentions 外部サービス, or in a heading that names nothing, leaves the shape as it was.
 * `leaf`: the node has no children (the same before and after an edit whose nodes keep their depth).
 */
function titleFacts(kb: Knowledge, kind: OutlineNode['kind'], leaf: boolean, caption: string | undefined, title: string): string {
  const titled = titledFacts(kind, caption, title);
  const lists = listsOf(kb);
  const upTo = titled ? lists.all.length : leaf ? 0 : lists.excludes;
  if (upTo === 0) return '';
  const folded = fold(`${caption ?? ''} ${title}`);
  let out = '';
  for (let k = 0; k < upTo; k++) out += matchesAny(folded, lists.all[k]) ? '1' : '0';
  // Trailing zeros are dropped: a sentence and a title that match nothing give the same facts.
  return out.replace(/0+$/, '');
}

/** Copies of the outline facts the shape depends on; strings equal to the previous ones are reused rather than copied again. */
function outlineFacts(doc: PolicyDocument, old: Shape['from']): NonNullable<Shape['from']> {
  const n = doc.nodes.length;
  const depth = new Int32Array(n);
  const kind: OutlineNode['kind'][] = new Array(n);
  const caption: (string | undefined)[] = new Array(n);
  const title: string[] = new Array(n);
  const titleStart = new Int32Array(n);
  // Nodes before and after the edit are at the same index from the start or from the end.
  const reuse = (s: string | undefined, list: (string | undefined)[] | undefined, i: number): string | undefined => {
    if (s === undefined) return s;
    if (list) {
      if (i < list.length && list[i] === s) return list[i];
      const j = list.length - (n - i);
      if (j >= 0 && list[j] === s) return list[j];
    }
    return own(s);
  };
  // A node's title facts are the previous ones where the same strings were reused at either place.
  const info: (TitleInfo | undefined)[] | undefined = old?.info ? new Array(n) : undefined;
  const sameAt = (i: number, j: number) => j >= 0 && j < old!.title.length && old!.title[j] === title[i] && old!.caption[j] === caption[i] && old!.kind[j] === kind[i];
  doc.nodes.forEach((node, i) => {
    depth[i] = node.depth;
    kind[i] = node.kind;
    caption[i] = reuse(node.caption, old?.caption, i);
    title[i] = reuse(node.title, old?.title, i)!;
    titleStart[i] = node.titleSpan.start;
    if (info) {
      const j = old!.title.length - (n - i);
      info[i] = sameAt(i, i) ? old!.info![i] : sameAt(i, j) ? old!.info![j] : undefined;
    }
  });
  return { docTitle: doc.metadata.title === undefined ? undefined : own(doc.metadata.title), depth, kind, caption, title, titleStart, info };
}

/**
 * Brings the outline facts of `shape` up to date with the document, and tells what changed:
 * 'none' when every node has the same depth and kind and its caption and title match the same
 * expression lists (titleFacts), so that the shape still holds; 'titles' when only such matches
 * (or the document's title) changed; 'outline' when nodes were added, removed or moved (the facts
 * are then left as they were).
 */
function refresh(shape: Shape, doc: PolicyDocument, kb: Knowledge, edit: { prefix: number; suffixStart: number; delta: number }): 'none' | 'titles' | 'outline' {
  const f = shape.from;
  if (!f || shape.kb !== kb || f.depth.length !== doc.nodes.length) return 'outline';
  const nodes = doc.nodes;
  const { prefix, suffixStart, delta } = edit;
  let changed = false;
  // A title or caption that changed but matches the same expressions (typing in a heading, most often) gives the same shape.
  f.retitled = [];
  f.docRetitled = false;
  const retitle = (i: number, n: OutlineNode) => {
    const leaf = n.children.length === 0;
    if (titleFacts(kb, n.kind, leaf, f.caption[i], f.title[i]) !== titleFacts(kb, n.kind, leaf, n.caption, n.title)) { changed = true; f.retitled!.push(i); }
    if (f.titled) {
      const now = titledFacts(n.kind, n.caption, n.title);
      if (now !== titledFacts(n.kind, f.caption[i], f.title[i])) (now ? insertSorted : removeSorted)(f.titled, i);
    }
    if (f.info) f.info[i] = undefined;
    f.title[i] = own(n.title);
    f.caption[i] = n.caption === undefined ? undefined : own(n.caption);
  };
  if (f.docTitle !== doc.metadata.title) { f.docTitle = doc.metadata.title === undefined ? undefined : own(doc.metadata.title); changed = true; f.docRetitled = true; }
  const changedNodes = nodesChanged(doc, edit);
  if (changedNodes) {
    // Only these nodes can have another depth, kind, title or caption (a keystroke that kept the
    // outline's nodes: a node whose title line reaches the edit, or the node just after it, which
    // takes a caption written on the line before it; or the nodes of an outline built again in
    // part, the facts' indexes being the nodes' now, see realign). The title positions of the
    // other nodes are not brought up to date: the next full comparison compares their texts.
    f.stale = true;
    const [from, to] = changedNodes;
    for (let i = from; i < to; i++) {
      const n = nodes[i];
      if (f.depth[i] !== n.depth || f.kind[i] !== n.kind) return 'outline';
      if (f.title[i] !== n.title || f.caption[i] !== n.caption) retitle(i, n);
    }
    return changed ? 'titles' : 'none';
  }
  const positions = !f.stale;
  f.stale = false;
  // One pass over the nodes (each is read once). The facts of the nodes before a node whose depth
  // or kind changed are brought up to date on the way: harmless, shapeOf() then makes new facts.
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (f.depth[i] !== n.depth || f.kind[i] !== n.kind) return 'outline';
    // A title is the text of its span, up to the line break: one that lies with its line break
    // ('\r\n' at most) before the edit, or after it (offset 0 may be a BOM read as a space), where the
    // previous title was, is the same (long sentences are not compared).
    const start = n.titleSpan.start, was = f.titleStart[i];
    f.titleStart[i] = start;
    const sameTitle = positions && (n.titleSpan.end + 2 <= prefix ? was === start : start >= suffixStart && start > 0 && was + delta === start);
    if (!((sameTitle || f.title[i] === n.title) && f.caption[i] === n.caption)) retitle(i, n);
  }
  return changed ? 'titles' : 'none';
}

/**
 * The shape after an edit that added or removed a few leaves (typing into the front matter's fence
 * makes its lines a heading; a line break inside 「(ア)」 makes the item plain text): the facts moved
 * to the new node indexes, the nodes before and after the leaves keeping their depth and kind
 * (their titles are then compared as refresh() does). Removing or adding leaves leaves the rest of
 * the tree as it was. When the leaves match no expression list (titleFacts), before and after,
 * and no other title changed, they take part in nothing the shape is made of (naming, exclusion,
 * part candidates are matches; `outermost` reads ancestors): 'none', the previous shape with node
 * indexes moved. Otherwise 'titles': the moved shape and facts, from which shapeOf() makes the
 * shape again where the leaves and retitled nodes reach (carryNaming). Undefined: build the shape
 * anew.
 */
const MAX_REALIGNED = 16;
function realign(shape: Shape, doc: PolicyDocument, kb: Knowledge, edit: { prefix: number; suffixStart: number; delta: number }): { next: Shape; change: 'none' | 'titles' } | undefined {
  const f = shape.from!;
  if (shape.kb !== kb) return undefined;
  const nodes = doc.nodes;
  const n = nodes.length, m = f.depth.length;
  // The nodes that differ: new [a, n - b), previous [a, m - b).
  const region = (a: number, b: number): boolean => {
    // A few nodes (each title is matched against the lists): more, and the shape is built anew.
    if (m - b - a + (n - b - a) > MAX_REALIGNED) return false;
    for (let j = a; j < m - b; j++) if (j + 1 < m && f.depth[j + 1] > f.depth[j]) return false;
    for (let i = a; i < n - b; i++) if (nodes[i].children.length !== 0) return false;
    return true;
  };
  const found = differing(n, m, (i, j) => f.depth[j] === nodes[i].depth && f.kind[j] === nodes[i].kind, region, rebuiltInPart(doc));
  if (!found) return undefined;
  const [a, b] = found;
  const shift = n - m;
  // Whether a node that differs takes part in an expression list (it may name a section or part).
  const nothing = (s: string) => !s.includes('1');
  let named = false;
  for (let j = a; j < m - b && !named; j++) named = !nothing(titleFacts(kb, f.kind[j], true, f.caption[j], f.title[j]));
  for (let i = a; i < n - b && !named; i++) named = !nothing(titleFacts(kb, nodes[i].kind, true, nodes[i].caption, nodes[i].title));
  // Leaves that name something are carried with the naming kept in the facts (carryNaming).
  if (named && !(f.titled && f.naming)) return undefined;
  // The facts at the new indexes: the previous ones moved, the new nodes' own (refresh() compares the rest).
  const from: NonNullable<Shape['from']> = {
    docTitle: f.docTitle,
    depth: realigned(f.depth, n, a, b, (i) => nodes[i].depth, new Int32Array(n)),
    titleStart: realigned(f.titleStart, n, a, b, (i) => nodes[i].titleSpan.start, new Int32Array(n)),
    kind: realigned(f.kind, n, a, b, (i) => nodes[i].kind),
    caption: realigned(f.caption, n, a, b, (i) => (nodes[i].caption === undefined ? undefined : own(nodes[i].caption!))),
    title: realigned(f.title, n, a, b, (i) => own(nodes[i].title)),
    stale: f.stale,
    info: f.info && realigned(f.info, n, a, b, () => undefined),
    // The title-like nodes and the naming move with the nodes; a removed node leaves them (see below).
    titled: f.titled && movedIndexes(f.titled, a, m - b, shift, (i) => titledFacts(nodes[i].kind, nodes[i].caption, nodes[i].title), n - b),
    naming: f.naming?.map((list) => movedIndexes(list, a, m - b, shift)),
  };
  const next: Shape = { kb, from, sections: shape.sections.map((s) => ({
    section: s.section,
    node: s.node < a ? s.node : s.node + shift,
    parts: s.parts.map((p) => ({ part: p.part, nodes: p.nodes?.map((j) => (j < a ? j : j + shift)) })),
  })) };
  const change = refresh(next, doc, kb, edit);
  if (change === 'outline') return undefined;
  if (!named && change === 'none') return { next, change };
  // The shape is made again from the moved one (shapeOf, carryNaming), as after retitled nodes:
  // the new nodes count as retitled, and so does the node before them, which held the removed
  // ones or is in the same subtree (the parts of a section node holding them are matched again);
  // the sections a removed node named are matched again.
  if (!f.naming) return undefined;
  for (let i = a > 0 ? a - 1 : a; i < n - b; i++) from.retitled!.push(i);
  from.touched = new Set();
  f.naming.forEach((list, k) => { if (list[lowerBound(list, a)] < m - b) from.touched!.add(kb.requirements[k]); });
  return { next, change: 'titles' };
}

/**
 * One section of the shape with element presence (what analyzeConformance() returns for it). It
 * reads the section node's subtree only: the part nodes lie in it (see partNodes) and presence
 * reads their text.
 */
export function sectionMatchOf(doc: PolicyDocument, revision: Revision, s: ShapeSection): SectionMatch {
  const nodeAt = (i: number) => (i < 0 ? doc.root : doc.nodes[i]);
  const section = s.section;
  const node = nodeAt(s.node);
  const parts: PartMatch[] = [];
  const missingParts: RequirementPart[] = [];
  for (const { part, nodes } of s.parts) {
    const wanted = wantedElements(part, revision);
    if (nodes && nodes.length === 0) {
      // Written without its own heading (merged into another item)? Judge its elements on the whole section.
      // Only when most of its elements are there: one sentence elsewhere mentioning SLA is not part (2).
      const has = presence(doc, node, section, part);
      const elements = wanted.map(({ element, i }) => ({ element, present: has[i] }));
      const present = elements.filter((e) => e.present).length;
      if (present >= Math.max(2, Math.ceil(elements.length / 2)) || (elements.length === 1 && present === 1)) parts.push({ part, node, elements, virtual: true });
      else missingParts.push(part);
      continue;
    }
    for (const i of nodes ?? [s.node]) {
      const pn = nodeAt(i);
      const has = presence(doc, pn, section, part);
      parts.push({ part, node: pn, elements: wanted.map(({ element, i }) => ({ element, present: has[i] })) });
    }
  }
  return { section, node, parts, missingParts };
}

/** Which element (index in the part) an existing child item holds, or -1. */
export function elementOrderOf(doc: PolicyDocument, part: RequirementPart, child: OutlineNode): number {
  const text = textOf(doc, child);
  return part.elements.findIndex((e) => matchesAny(text, e.present));
}

/** The innermost outline node under `root` (root included) whose text holds an element. */
export function holderOf(doc: PolicyDocument, root: OutlineNode, present: string[]): OutlineNode | undefined {
  let best: OutlineNode | undefined;
  const visit = (n: OutlineNode) => {
    if (!matchesAny(textOf(doc, n), present)) return;
    if (!best || n.span.end - n.span.start < best.span.end - best.span.start) best = n;
    for (const c of n.children) visit(c);
  };
  visit(root);
  return best;
}

function lastToken(item: string | undefined): string {
  const tokens = item?.match(/[（(][^）)]+[）)]|[①-⑳]|[0-9０-９]+/g);
  return tokens ? tokens[tokens.length - 1] : '';
}

/** For each element (by index) present in the part, the node standing for it; the same for every missing element of a part (cached). */
const holderCaches = new AnalysisCache<object, Map<OutlineNode, Map<RequirementPart, { present: string; holders: (OutlineNode | undefined)[] }>>>();
function holdersOf(doc: PolicyDocument, part: RequirementPart, partNode: OutlineNode, present: boolean[], holds: (n: OutlineNode, i: number) => boolean): (OutlineNode | undefined)[] {
  // Per analysis: outline nodes are reused and changed from one analysis to the next (patch.ts).
  let byNode = holderCaches.get(analysisKey(doc));
  if (!byNode) { byNode = new Map(); holderCaches.set(analysisKey(doc), byNode); }
  let byPart = byNode.get(partNode);
  if (!byPart) { byPart = new Map(); byNode.set(partNode, byPart); }
  const key = present.map((p) => (p ? '1' : '0')).join('');
  const hit = byPart.get(part);
  if (hit && hit.present === key) return hit.holders;
  // The innermost node holding each element, raised while its parent holds no other element:
  // (イ) among the conditions stays (イ); a clause ① under 「(3) 情報セキュリティ責任者」 becomes (3).
  const holders = part.elements.map((e, i) => {
    if (!present[i]) return undefined;
    let h = holderOf(doc, partNode, e.present);
    while (h && h.parent && h.parent !== partNode && h.parent.kind !== 'root' && !part.elements.some((_, j) => j !== i && present[j] && holds(h!.parent!, j))) h = h.parent;
    return h;
  });
  byPart.set(part, { present: key, holders });
  return holders;
}

/**
 * Where a missing element goes: into the list that holds its neighbours (the elements just
 * before and after it in the guideline's order), e.g. (ウ) among (ア)(イ)(エ) under ②, not
 * among the part's ①〜⑨. Returns the list's parent and the order of each of its children.
 */
export function insertionTarget(doc: PolicyDocument, part: RequirementPart, partNode: OutlineNode, present: boolean[], order: number): { parent: OutlineNode; anchor?: OutlineNode; childOrder: (child: OutlineNode) => number } {
  const holds = (n: OutlineNode, i: number) => matchesAny(textOf(doc, n), part.elements[i].present);
  const holders = holdersOf(doc, part, partNode, present, holds);
  // The guideline's item notation gives each element's level: ② is one level, ②(ア) two.
  const level = (i: number) => (part.elements[i].item?.match(/[（(][^）)]+[）)]|[①-⑳]|[0-9０-９]+/g) ?? []).length || 1;
  const near = (from: number, step: number) => {
    for (let i = from; i >= 0 && i < holders.length; i += step) {
      let h = holders[i];
      if (!h || h === partNode) continue;
      // The node the guideline numbers: a clause ⑤ inside 「(2) 緊急時対応計画」 stands for (2).
      const token = fold(lastToken(part.elements[i].item));
      // …but only when the missing element is another item ((3) after (2)); elements sharing "(2)" are clauses inside it.
      if (token && token !== fold(lastToken(part.elements[order].item))) {
        let t: OutlineNode | undefined = h;
        while (t && t !== partNode && t.kind !== 'root' && fold(t.marker?.text ?? '') !== token) t = t.parent;
        // It stands for that item only if every element it holds carries the same number (not an intro clause that happens to be ①).
        const same = t && t !== partNode && t.kind !== 'root' && part.elements.every((e, j) => !present[j] || !holds(t!, j) || fold(lastToken(e.item)) === token);
        if (t && same) h = t;
      }
      // A deeper neighbour (①(イ) before ②) stands for its item at the missing element's level (①).
      for (let d = level(i) - level(order); d > 0 && h.parent && h.parent !== partNode && h.parent.kind !== 'root'; d--) h = h.parent;
      return h;
    }
    return undefined;
  };
  const neighbour = near(order - 1, -1) ?? near(order + 1, 1);
  const parent = neighbour?.parent && neighbour.marker && neighbour.kind === 'item' && (neighbour.parent === partNode || ancestors(neighbour.parent).includes(partNode) || partNode.kind === 'root') ? neighbour.parent : partNode;
  const childOrder = (child: OutlineNode) => {
    let min = -1;
    holders.forEach((h, i) => { if (h && (h === child || ancestors(h).includes(child)) && (min < 0 || i < min)) min = i; });
    return min;
  };
  return { parent, anchor: neighbour, childOrder };
}

/**
 * A full 対策基準 (not an excerpt, not a 基本方針 or procedure alone): absent topics are worth a note.
 * A whole standard runs to many sections; a short fragment titled 対策基準 (one chapter, a table of
 * contents) is not one, so it needs two recognised sections or the length of a real standard.
 */
export function isFullStandard(doc: PolicyDocument, sectionsFound = 2): boolean {
  const title = doc.metadata.title ?? '';
  if (doc.metadata.excerpt || !/対策基準/.test(title)) return false;
  return sectionsFound >= 2 || doc.text.length >= 5000;
}

/** What kind of document this is, for matching it against the guideline's own structure. */
export function documentKind(doc: PolicyDocument, revision: Revision, kb: Knowledge): '基本方針' | '対策基準' | 'procedure' | 'unknown' {
  if (kb.requirements.some((s) => s.kind === 'procedure' && applies(s.revisions, revision) && sectionNodes(doc, s, kb.requirements).length > 0)) return 'procedure';
  const title = doc.metadata.title ?? '';
  if (/対策基準/.test(title)) return '対策基準';
  if (/基本方針/.test(title)) return '基本方針';
  return 'unknown';
}
