/** Hover: guideline terms, roles (and misspelt roles) and cross-references, in Japanese Markdown. */
import type { Analysis } from '../engine/engine';
import type { Span } from '../engine/text';
import { inCode, nodeText } from '../engine/model/document';
import { REVISION_LABELS } from '../engine/model/metadata';
import { CONFIDENCE_LABELS, Knowledge, knowledge, type Role, type Term } from '../knowledge';
import type { Revision } from '../engine/model/types';
import { nodeLabel } from '../engine/model/outline';
import { fold } from '../engine/normalize';
import { nodeAt } from '../engine/model/document';
import { conformanceFor, outlineEntryFor } from './sections';
import { documentKind } from '../engine/conformance';

export interface HoverResult { markdown: string; span: Span }

export function hoverAt(analysis: Analysis, offset: number): HoverResult | undefined {
  const { doc, lines } = analysis;
  if (inCode(doc, offset) || (doc.metadata.frontMatterSpan && offset < doc.metadata.frontMatterSpan.end)) return undefined;

  const ref = doc.references.find((r) => r.span.start <= offset && offset < r.span.end && r.target);
  if (ref && ref.target) {
    const target = ref.target;
    const body = nodeText(doc, target);
    const excerpt = body.length > 600 ? body.slice(0, 600) + '…' : body;
    const line = lines.lineAt(target.lineSpan.start) + 1;
    return { span: ref.span, markdown: `**参照先: ${escape(nodeLabel(target, 60))}**（${line}行目）\n\n${quote(excerpt)}` };
  }

  const lineNo = lines.lineAt(offset);
  const lineStart = lines.lineStarts[lineNo];
  const lineText = lines.lineText(lineNo);
  const kb = knowledge();
  const m = kb.matcher.findCovering(lineText, offset - lineStart);
  const node = nodeAt(doc, offset);
  const onMarker = node.markerSpan && node.markerSpan.start <= offset && offset < node.markerSpan.end;
  const onHeading = node.kind === 'heading' && node.lineSpan.start <= offset && offset <= node.lineSpan.end;
  if (onMarker || (!m && onHeading)) {
    const section = sectionHover(analysis, node);
    if (section) return { span: node.lineSpan, markdown: section };
  }
  if (!m) return undefined;
  const span = { start: lineStart + m.start, end: lineStart + m.end };
  const matched = lineText.slice(m.start, m.end);
  if (m.entry.kind === 'term') {
    const term = kb.termById.get(m.entry.id)!;
    return { span, markdown: termHover(term, analysis.revision, kb, ownDefinition(analysis, term.headword, [term.headword, ...(term.aliases ?? [])])) };
  }
  const role = kb.roleById.get(m.entry.id)!;
  return { span, markdown: roleHover(role, analysis.revision, kb, m.entry.kind === 'misspelling' ? matched : undefined, ownDefinition(analysis, role.name, [role.name, ...(role.aliases ?? []), role.abbreviation ?? ''])) };
}

/** Hover on a clause heading: the guideline section it corresponds to, and its required elements. */
function sectionHover(analysis: Analysis, node: import('../engine/model/types').OutlineNode): string | undefined {
  const kb = knowledge();
  const entry = outlineEntryFor(node, analysis.revision, kb, documentKind(analysis.doc, analysis.revision, kb));
  const conf = conformanceFor(analysis, node, kb);
  if (!entry && !conf) return undefined;
  const rev = REVISION_LABELS[analysis.revision];
  const parts: string[] = [];
  if (entry) {
    const ref = Knowledge.sectionFor(entry.sections, analysis.revision)!;
    parts.push(`**ガイドラインとの対応**（${rev}）: ${entry.document} ${ref.section} ${escape(entry.title)}`);
    if (entry.summary) parts.push(escape(entry.summary));
    const others = entry.sections.filter((s) => !s.revisions.includes(analysis.revision)).map((s) => `${s.revisions.map((r) => REVISION_LABELS[r]).join('・')}では ${s.section}`);
    const notes = [`確度: ${CONFIDENCE_LABELS[entry.confidence]}`];
    if (others.length) notes.unshift(`他の版: ${others.join('、')}`);
    parts.push(notes.map((n) => `- ${n}`).join('\n'));
  }
  if (conf) {
    const ref = Knowledge.sectionFor(conf.section.section.sections, analysis.revision);
    const partMatches = conf.part ? [conf.part] : conf.section.parts;
    const lines = partMatches.flatMap((pm) => pm.elements.map((e) => `- ${e.present ? '✓' : '✗'} ${ref?.section ?? ''}${pm.part.item}${e.element.item ?? ''} ${escape(e.element.label)}`));
    if (lines.length) parts.push(`**求められる要素**（${conf.part ? escape(conf.part.part.title) : escape(conf.section.section.title)}）\n\n${lines.join('\n')}`);
    if (!conf.part && conf.section.missingParts.length) parts.push(`見当たらない項目: ${conf.section.missingParts.map((p) => `${p.item} ${escape(p.title)}`).join('、')}`);
  }
  return parts.join('\n\n');
}

function ownDefinition(analysis: Analysis, _headword: string, names: string[]): string | undefined {
  const wanted = new Set(names.filter(Boolean).map((n) => fold(n)));
  const def = analysis.doc.definitions.find((d) => wanted.has(fold(d.term)));
  if (!def) return undefined;
  const line = analysis.lines.lineAt(def.span.start) + 1;
  const text = def.text.length > 200 ? def.text.slice(0, 200) + '…' : def.text;
  return `**この文書での定義**（[${line}行目](#L${line})）: ${escape(text)}`;
}

function sectionLine(refs: Term['sections'], revision: Revision): string {
  const ref = Knowledge.sectionFor(refs, revision);
  return ref ? `ガイドライン該当箇所（${REVISION_LABELS[revision]}）: ${ref.section}${ref.title ? ` ${ref.title}` : ''}` : `ガイドライン該当箇所: ${REVISION_LABELS[revision]}には対応する箇所がありません`;
}

function relatedLine(ids: string[] | undefined, kb: Knowledge): string | undefined {
  const names = (ids ?? []).map((id) => kb.termById.get(id)?.headword ?? kb.roleById.get(id)?.name).filter(Boolean);
  return names.length ? `関連: ${names.join('、')}` : undefined;
}

export function termHover(term: Term, revision: Revision, kb: Knowledge, own?: string): string {
  const head = `**${term.headword}**（${term.reading}）${term.english ? ` — ${term.english}` : ''}`;
  const notes: string[] = [sectionLine(term.sections, revision)];
  if (term.revisions && term.revisions.length === 0) {
    notes.push(`注意: 令和4年3月版以降のガイドラインでは使われていない旧い区分です。${term.revisionNote ?? ''}`);
  } else if (term.revisions && !term.revisions.includes(revision)) {
    notes.push(`注意: この用語は${term.revisions.map((r) => REVISION_LABELS[r]).join('・')}の用語です（この文書の対象は${REVISION_LABELS[revision]}）。${term.revisionNote ?? ''}`);
  } else if (term.revisionNote) notes.push(`版による違い: ${term.revisionNote}`);
  const rel = relatedLine(term.related, kb);
  if (rel) notes.push(rel);
  notes.push(`確度: ${CONFIDENCE_LABELS[term.confidence]}`);
  return [head, escape(term.explanation), notes.map((n) => `- ${n}`).join('\n'), own].filter(Boolean).join('\n\n');
}

export function roleHover(role: Role, revision: Revision, kb: Knowledge, misspelt?: string, own?: string): string {
  const parts: string[] = [];
  if (misspelt) parts.push(`⚠ 「${escape(misspelt)}」はガイドラインの役職名ではありません。正しくは「**${role.name}**」です。`);
  parts.push(`**${role.name}**${role.abbreviation ? `（${role.abbreviation}）` : ''}（${role.reading}）— 役割`);
  parts.push(escape(role.explanation));
  const notes = [`通常の充て職: ${role.typicalHolder}`, `主な役割: ${role.duties.join('／')}`];
  if (role.approves?.length) notes.push(`決定・承認すること: ${role.approves.join('／')}`);
  const named = (role.namedIn ?? []).filter((r) => r.revisions.includes(revision)).map((r) => r.section);
  if (named.length) notes.push(`この役割を名指しする条項（${REVISION_LABELS[revision]}）: ${named.join('、')}`);
  notes.push(sectionLine(role.sections, revision));
  const rel = relatedLine(role.related, kb);
  if (rel) notes.push(rel);
  notes.push(`確度: ${CONFIDENCE_LABELS[role.confidence]}`);
  parts.push(notes.map((n) => `- ${n}`).join('\n'));
  if (own) parts.push(own);
  return parts.join('\n\n');
}

function escape(s: string): string {
  return s.replace(/([\\`*_[\]<>#])/g, '\\$1');
}

function quote(s: string): string {
  return s.split(/\r?\n/).map((l) => `> ${escape(l)}`).join('\n');
}
