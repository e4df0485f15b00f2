/**
 * Where the document writes each guideline section the requirements data knows, and
 * which required elements each part contains. Shared by the required-elements rule,
 * hover and the coverage report.
 */
import type { OutlineNode, PolicyDocument, Revision } from './model/types';
import { ancestors } from './model/outline';
import { foldedDocument, nodeText } from './model/document';
import { fold } from './normalize';
import { matchesAny } from './concepts';
import { own } from './memo';
import type { Knowledge, RequirementElement, RequirementPart, RequirementSection } from '../knowledge';

export interface ElementStatus { element: RequirementElement; present: boolean }
/** `virtual`: no node names the part, but some of its elements are written elsewhere in the section. */
export interface PartMatch { part: RequirementPart; node: OutlineNode; elements: ElementStatus[]; virtual?: boolean }
export interface SectionMatch { section: RequirementSection; node: OutlineNode; parts: PartMatch[]; missingParts: RequirementPart[] }

const titles = new WeakMap<OutlineNode, string>();
const titleOf = (n: OutlineNode) => {
  let t = titles.get(n);
  if (t === undefined) { t = fold(`${n.caption ?? ''} ${n.title}`); titles.set(n, t); }
  return t;
};
/** Headings, 見出し-bearing articles and short title-like items can name a section; sentences cannot. */
const titleLike = (n: OutlineNode) => n.kind === 'heading' || !!n.caption || (n.title.length <= 50 && !/。/.test(n.title.replace(/（[^）]*）/g, '')));
const titleNodes = new WeakMap<PolicyDocument, { list: OutlineNode[]; set: Set<OutlineNode> }>();
function titledInfo(doc: PolicyDocument): { list: OutlineNode[]; set: Set<OutlineNode> } {
  let info = titleNodes.get(doc);
  if (!info) { const list = doc.nodes.filter(titleLike); info = { list, set: new Set(list) }; titleNodes.set(doc, info); }
  return info;
}
/** The document's title-like nodes, in document order (computed once per document). */
const titled = (doc: PolicyDocument) => titledInfo(doc).list;

/** fold() of a node's whole text; slices of the document folded once when that is exact. */
export function foldedText(doc: PolicyDocument, n: OutlineNode): string {
  const f = foldedDocument(doc);
  if (!f.exact) return fold(n.kind === 'root' ? doc.text : nodeText(doc, n));
  return n.kind === 'root' ? f.folded : f.folded.slice(n.span.start, n.span.end);
}

/** Nodes of the subtree under `top` (included), in document order. */
function subtree(top: OutlineNode): OutlineNode[] {
  const out: OutlineNode[] = [];
  const visit = (n: OutlineNode) => { out.push(n); for (const c of n.children) visit(c); };
  visit(top);
  return out;
}

export const applies = (revisions: Revision[] | undefined, revision: Revision) => !revisions || revisions.includes(revision);

/** The hits that have no other hit as an ancestor (hits are in document order). */
function outermost(nodes: OutlineNode[]): OutlineNode[] {
  const set = new Set(nodes);
  return nodes.filter((n) => {
    for (let a = n.parent; a; a = a.parent) if (set.has(a)) return false;
    return true;
  });
}

/** Sections whose recognise expressions a folded title matches, cached by title across analyses. */
const recognisedCaches = new WeakMap<RequirementSection[], Map<string, RequirementSection[]>>();
function recognisedBy(title: string, all: RequirementSection[]): RequirementSection[] {
  let cache = recognisedCaches.get(all);
  if (!cache) { cache = new Map(); recognisedCaches.set(all, cache); }
  let hit = cache.get(title);
  if (!hit) {
    hit = all.filter((s) => matchesAny(title, s.recognise));
    if (cache.size > 50_000) cache.clear();
    cache.set(own(title), hit);
  }
  return hit;
}

/** For each section, the title-like nodes that name it (computed once per document). */
const namingIndexes = new WeakMap<PolicyDocument, Map<RequirementSection, Set<OutlineNode>>>();
function namingIndex(doc: PolicyDocument, all: RequirementSection[]): Map<RequirementSection, Set<OutlineNode>> {
  let index = namingIndexes.get(doc);
  if (!index) {
    index = new Map(all.map((s) => [s, new Set<OutlineNode>()]));
    for (const n of titled(doc)) {
      for (const s of recognisedBy(titleOf(n), all)) if (!excludedVariant(n, s)) index.get(s)!.add(n);
    }
    namingIndexes.set(doc, index);
  }
  return index;
}

/**
 * A title that names two requirement sections (「第8章 業務委託と外部サービスの利用」) is a chapter
 * holding both: neither section is that node; each is found inside it, or is absent.
 */
function sectionNodes(doc: PolicyDocument, section: RequirementSection, all: RequirementSection[], exclusive = true): OutlineNode[] {
  if (section.kind === 'procedure') {
    const title = fold(doc.metadata.title ?? '');
    if (!title || !matchesAny(title, section.recognise)) return [];
    if (section.exclude && matchesAny(title, section.exclude)) return [];
    return [doc.root];
  }
  const index = namingIndex(doc, all);
  // Sets keep insertion order: the nodes are in document order.
  const hits = [...(index.get(section) ?? [])].filter((n) => !(exclusive && all.some((o) => o !== section && o.kind === 'section' && index.get(o)?.has(n))));
  return outermost(hits);
}

/** The node or an ancestor is an excluded variant of the section. */
function excludedVariant(n: OutlineNode, section: RequirementSection): boolean {
  return !!section.exclude && [n, ...ancestors(n)].some((a) => matchesAny(titleOf(a), section.exclude!));
}

function partNodes(doc: PolicyDocument, sectionNode: OutlineNode, section: RequirementSection, part: RequirementPart): OutlineNode[] {
  if (part.recognise.length === 0) return [sectionNode];
  // Between the part and the section node, nothing may be an excluded variant (8.4 取り扱わない場合 inside chapter 8).
  const excluded = (n: OutlineNode) => {
    if (!section.exclude) return false;
    for (let a: OutlineNode | undefined = n; a && a !== sectionNode && a.kind !== 'root'; a = a.parent) if (matchesAny(titleOf(a), section.exclude)) return true;
    return false;
  };
  const isTitled = titledInfo(doc).set;
  const candidates = sectionNode.kind === 'root' ? titled(doc) : subtree(sectionNode).filter((n) => isTitled.has(n));
  const hits = candidates.filter((n) => matchesAny(titleOf(n), part.recognise) && !excluded(n));
  return outermost(hits);
}

export function analyzeConformance(doc: PolicyDocument, revision: Revision, kb: Knowledge): SectionMatch[] {
  const out: SectionMatch[] = [];
  // A document that is itself a procedure (Web会議利用手順 …) is checked as that procedure only,
  // not also as sections of a 対策基準 (its articles would otherwise look like 6.1(21)).
  const procedures = kb.requirements.filter((s) => s.kind === 'procedure' && applies(s.revisions, revision) && sectionNodes(doc, s, kb.requirements).length > 0);
  for (const section of procedures.length ? procedures : kb.requirements) {
    if (!applies(section.revisions, revision)) continue;
    for (const node of sectionNodes(doc, section, kb.requirements)) {
      const parts: PartMatch[] = [];
      const missingParts: RequirementPart[] = [];
      const sectionText = foldedText(doc, node);
      for (const part of section.parts) {
        if (!applies(part.revisions, revision)) continue;
        const wanted = part.elements.filter((e) => applies(e.revisions, revision));
        const nodes = partNodes(doc, node, section, part);
        if (nodes.length === 0) {
          // Written without its own heading (merged into another item)? Judge its elements on the whole section.
          // Only when most of its elements are there: one sentence elsewhere mentioning SLA is not part (2).
          const elements = wanted.map((element) => ({ element, present: matchesAny(sectionText, element.present) }));
          const present = elements.filter((e) => e.present).length;
          if (present >= Math.max(2, Math.ceil(elements.length / 2)) || (elements.length === 1 && present === 1)) parts.push({ part, node, elements, virtual: true });
          else missingParts.push(part);
          continue;
        }
        for (const pn of nodes) {
          const text = foldedText(doc, pn);
          parts.push({ part, node: pn, elements: wanted.map((element) => ({ element, present: matchesAny(text, element.present) })) });
        }
      }
      out.push({ section, node, parts, missingParts });
    }
  }
  return out;
}

/** Which element (index in the part) an existing child item holds, or -1. */
export function elementOrderOf(doc: PolicyDocument, part: RequirementPart, child: OutlineNode): number {
  const text = foldedText(doc, child);
  return part.elements.findIndex((e) => matchesAny(text, e.present));
}

/** The innermost outline node under `root` (root included) whose text holds an element. */
export function holderOf(doc: PolicyDocument, root: OutlineNode, present: string[]): OutlineNode | undefined {
  let best: OutlineNode | undefined;
  const visit = (n: OutlineNode) => {
    if (!matchesAny(foldedText(doc, n), present)) return;
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

/**
 * Where a missing element goes: into the list that holds its neighbours (the elements just
 * before and after it in the guideline's order), e.g. (ウ) among (ア)(イ)(エ) under ②, not
 * among the part's ①〜⑨. Returns the list's parent and the order of each of its children.
 */
export function insertionTarget(doc: PolicyDocument, part: RequirementPart, partNode: OutlineNode, present: boolean[], order: number): { parent: OutlineNode; anchor?: OutlineNode; childOrder: (child: OutlineNode) => number } {
  // The innermost node holding each element, raised while its parent holds no other element:
  // (イ) among the conditions stays (イ); a clause ① under 「(3) 情報セキュリティ責任者」 becomes (3).
  const holds = (n: OutlineNode, i: number) => matchesAny(foldedText(doc, n), part.elements[i].present);
  const holders = part.elements.map((e, i) => {
    if (!present[i]) return undefined;
    let h = holderOf(doc, partNode, e.present);
    while (h && h.parent && h.parent !== partNode && h.parent.kind !== 'root' && !part.elements.some((_, j) => j !== i && present[j] && holds(h!.parent!, j))) h = h.parent;
    return h;
  });
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
