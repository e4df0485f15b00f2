/** Which guideline section a clause heading corresponds to, and how complete it is. */
import type { Analysis } from '../engine/engine';
import type { OutlineNode, Revision } from '../engine/model/types';
import { fold } from '../engine/normalize';
import { matchesAny } from '../engine/concepts';
import { conformanceShape, documentKind, sectionMatchOf, type PartMatch, type SectionMatch } from '../engine/conformance';
import { Knowledge, type OutlineEntry } from '../knowledge';

const titleOf = (n: OutlineNode) => fold(`${n.caption ?? ''} ${n.title}`);

function depth(entry: OutlineEntry, byId: Map<string, OutlineEntry>): number {
  let d = 0;
  for (let e: OutlineEntry | undefined = entry; e?.parent; e = byId.get(e.parent)) d++;
  return d;
}

/** The guideline outline entry a node's heading corresponds to, for the document's revision. */
export function outlineEntryFor(node: OutlineNode, revision: Revision, kb: Knowledge, kind: ReturnType<typeof documentKind> = 'unknown'): OutlineEntry | undefined {
  if (node.kind === 'root' || kind === 'procedure') return undefined;
  const title = titleOf(node);
  const byId = new Map(kb.outline.map((e) => [e.id, e]));
  const candidates = kb.outline.filter((e) => (kind === 'unknown' || e.document === kind) && Knowledge.sectionFor(e.sections, revision) && matchesAny(title, e.recognise) && !(e.exclude && matchesAny(title, e.exclude)));
  if (candidates.length === 0) return undefined;
  const number = node.marker?.style === 'decimal' ? node.marker.path.join('.') : undefined;
  const same = number ? candidates.find((e) => Knowledge.sectionFor(e.sections, revision)!.section === number) : undefined;
  return same ?? candidates.sort((a, b) => depth(b, byId) - depth(a, byId))[0];
}

export interface NodeConformance { section: SectionMatch; part?: PartMatch }

export function conformanceFor(analysis: Analysis, node: OutlineNode, kb: Knowledge): NodeConformance | undefined {
  const { doc, revision } = analysis;
  const at = node.kind === 'root' ? -1 : doc.nodes.indexOf(node);
  // Element presence only for the sections that stand at the node or have a part there (a hover
  // asks for one node; the shape is kept per analysis).
  for (const shape of conformanceShape(doc, revision, kb).sections) {
    if (shape.node !== at && !shape.parts.some((p) => p.nodes?.includes(at))) continue;
    const section = sectionMatchOf(doc, revision, shape);
    const part = section.parts.find((p) => p.node === node);
    if (part) return { section, part };
    if (section.node === node) return { section };
  }
  return undefined;
}
