/**
 * Where the document writes each guideline section the requirements data knows, and
 * which required elements each part contains. Shared by the required-elements rule,
 * hover and the coverage report.
 */
import type { OutlineNode, PolicyDocument, Revision } from './model/types';
import { ancestors } from './model/outline';
import { nodeText } from './model/document';
import { fold } from './normalize';
import { matchesAny } from './concepts';
import type { Knowledge, RequirementElement, RequirementPart, RequirementSection } from '../knowledge';

export interface ElementStatus { element: RequirementElement; present: boolean }
/** `virtual`: no node names the part, but some of its elements are written elsewhere in the section. */
export interface PartMatch { part: RequirementPart; node: OutlineNode; elements: ElementStatus[]; virtual?: boolean }
export interface SectionMatch { section: RequirementSection; node: OutlineNode; parts: PartMatch[]; missingParts: RequirementPart[] }

const titleOf = (n: OutlineNode) => fold(`${n.caption ?? ''} ${n.title}`);
/** Headings, 見出し-bearing articles and short title-like items can name a section; sentences cannot. */
const titleLike = (n: OutlineNode) => n.kind === 'heading' || !!n.caption || (n.title.length <= 50 && !/。/.test(n.title.replace(/（[^）]*）/g, '')));

export const applies = (revisions: Revision[] | undefined, revision: Revision) => !revisions || revisions.includes(revision);

function outermost(nodes: OutlineNode[]): OutlineNode[] {
  return nodes.filter((n) => !nodes.some((o) => o !== n && ancestors(n).includes(o)));
}

/**
 * A title that names two requirement sections (「第8章 業務委託と外部サービスの利用」) is a chapter
 * holding both: neither section is that node; each is found inside it, or is absent.
 */
function sectionNodes(doc: PolicyDocument, section: RequirementSection, others?: RequirementSection[]): OutlineNode[] {
  if (section.kind === 'procedure') {
    const title = fold(doc.metadata.title ?? '');
    if (!title || !matchesAny(title, section.recognise)) return [];
    if (section.exclude && matchesAny(title, section.exclude)) return [];
    return [doc.root];
  }
  const hits = doc.nodes.filter((n) => titleLike(n) && names(n, section) && !(others ?? []).some((o) => o !== section && o.kind === 'section' && names(n, o)));
  return outermost(hits);
}

/** The node's title names the section (and neither it nor an ancestor is an excluded variant). */
function names(n: OutlineNode, section: RequirementSection): boolean {
  return matchesAny(titleOf(n), section.recognise) && !(section.exclude && [n, ...ancestors(n)].some((a) => matchesAny(titleOf(a), section.exclude!)));
}

function partNodes(doc: PolicyDocument, sectionNode: OutlineNode, section: RequirementSection, part: RequirementPart): OutlineNode[] {
  if (part.recognise.length === 0) return [sectionNode];
  const inside = (n: OutlineNode) => sectionNode.kind === 'root' || n === sectionNode || ancestors(n).includes(sectionNode);
  // Between the part and the section node, nothing may be an excluded variant (8.4 取り扱わない場合 inside chapter 8).
  const excluded = (n: OutlineNode) => {
    if (!section.exclude) return false;
    for (let a: OutlineNode | undefined = n; a && a !== sectionNode && a.kind !== 'root'; a = a.parent) if (matchesAny(titleOf(a), section.exclude)) return true;
    return false;
  };
  const hits = doc.nodes.filter((n) => inside(n) && titleLike(n) && matchesAny(titleOf(n), part.recognise) && !excluded(n));
  return outermost(hits);
}

export function analyzeConformance(doc: PolicyDocument, revision: Revision, kb: Knowledge): SectionMatch[] {
  const out: SectionMatch[] = [];
  // A document that is itself a procedure (Web会議利用手順 …) is checked as that procedure only,
  // not also as sections of a 対策基準 (its articles would otherwise look like 6.1(21)).
  const procedures = kb.requirements.filter((s) => s.kind === 'procedure' && applies(s.revisions, revision) && sectionNodes(doc, s).length > 0);
  for (const section of procedures.length ? procedures : kb.requirements) {
    if (!applies(section.revisions, revision)) continue;
    for (const node of sectionNodes(doc, section, kb.requirements)) {
      const parts: PartMatch[] = [];
      const missingParts: RequirementPart[] = [];
      const sectionText = fold(node.kind === 'root' ? doc.text : nodeText(doc, node));
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
          const text = fold(pn.kind === 'root' ? doc.text : nodeText(doc, pn));
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
  const text = fold(nodeText(doc, child));
  return part.elements.findIndex((e) => matchesAny(text, e.present));
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
  if (kb.requirements.some((s) => s.kind === 'procedure' && applies(s.revisions, revision) && sectionNodes(doc, s).length > 0)) return 'procedure';
  const title = doc.metadata.title ?? '';
  if (/対策基準/.test(title)) return '対策基準';
  if (/基本方針/.test(title)) return '基本方針';
  return 'unknown';
}
