/**
 * Missing required elements in guideline sections (and procedure documents), driven
 * by the requirements data under server/knowledge/requirements/. Also: parts of a
 * section that are absent, and (information) topics absent from a full 対策基準.
 */
import type { Fix, Rule, RuleContext, TextEdit } from '../types';
import type { OutlineNode } from '../model/types';
import { Knowledge, type RequirementPart, type RequirementSection } from '../../knowledge';
import { REVISION_LABELS } from '../model/metadata';
import { resolveSnippet, snippet } from '../snippets';
import { appendBlock, insertItems, type NewItem } from '../edit';
import { latest, memoizedAt, own, retaining } from '../memo';
import { applies, conformanceShape, elementOrderOf, insertionTarget, isFullStandard, sectionMatchOf, type PartMatch, type ShapeSection } from '../conformance';
import { kept, shift, type Relative } from '../sections';
import { spaceFor } from './structure/support';

export const requiredElements: Rule = {
  meta: {
    id: 'required-elements',
    aliases: ['missing-element', 'LGP101'],
    title: 'ガイドラインが求める要素の欠落',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['conformance'],
    guideline: ['server/knowledge/requirements/ の各節（外部サービス、業務委託、Web会議、ソーシャルメディア、組織体制、強靱性、テレワーク、不正プログラム対策、侵害時の対応、例外措置、監査）'],
    seeds: ['意見1', '意見7', '意見21', '意見26', '意見37', '意見43', '意見45', '意見58', '意見60', '意見87', '意見152', '質問31', '質問39', '質問41', '質問43'],
  },
  check(ctx) {
    const org = ctx.config.organization ?? ctx.doc.metadata.organization;
    // Each snippet is resolved once for an organisation and revision (a part's bodies are asked
    // for by every missing element, and again after every edit).
    const resolved = resolvedSnippets(org, ctx.revision);
    const resolve = (id: string) => {
      if (resolved.has(id)) return resolved.get(id);
      const sn = snippet(id);
      // A copy: kept across analyses, it must not hold a slice of this version of the document (the organisation's name).
      const body = sn ? own(resolveSnippet(sn.body, { organization: org, revision: ctx.revision })) : undefined;
      resolved.set(id, body);
      return body;
    };
    const shape = conformanceShape(ctx.doc, ctx.revision, ctx.knowledge);
    // The findings of one section: those of its parts, then its missing parts.
    const findingsOf = (s: ShapeSection, report: RuleContext['report']) => {
      const match = sectionMatchOf(ctx.doc, ctx.revision, s);
      const sub: RuleContext = { ...ctx, report };
      const ref = Knowledge.sectionFor(match.section.sections, ctx.revision);
      const num = ref?.section ?? '';
      for (const pm of match.parts) reportPart(sub, match.section, pm, num, resolve);
      for (const part of match.missingParts) reportMissingPart(sub, match.section, match.node, part, num, resolve, match.parts);
    };
    const found = new Set<string>();
    if (retaining()) {
      const spaces = cacheSpaces(ctx, org);
      // The previous analysis' sections (kept below): most are found again by position in one pass.
      const keptSections = latest<KeptSections>('required-elements:sections', ctx.doc.text, (old) => ({ previous: old && { value: old.value.now, prefix: old.prefix, suffixStart: old.suffixStart, delta: old.delta }, now: [] }));
      const placed = new PlacedFindings(keptSections.previous);
      const now: Placed[] = [];
      for (const s of shape.sections) {
        found.add(s.section.id);
        if (s.node < 0) { findingsOf(s, ctx.report); continue; }
        const cached = cachedFindings(ctx, s, spaces, findingsOf, placed, now.length);
        now.push(cached);
        for (let k = 0; k < cached.list.length; k++) ctx.report(shift(cached.list[k], cached.start));
      }
      keptSections.now = now;
    } else {
      for (const s of shape.sections) {
        found.add(s.section.id);
        findingsOf(s, ctx.report);
      }
    }
    // Topics a full 対策基準 is expected to have but does not: one information note listing them,
    // with one quick fix per topic (an excerpt or a split policy may omit them on purpose).
    if (isFullStandard(ctx.doc, found.size)) {
      const absent = ctx.knowledge.requirements.filter((s) => s.kind === 'section' && s.document === '対策基準' && !found.has(s.id) && applies(s.revisions, ctx.revision));
      if (absent.length) {
        const name = (s: RequirementSection) => `${Knowledge.sectionFor(s.sections, ctx.revision)?.section ?? ''} ${s.title}`.trim();
        ctx.report({
          severity: 'info',
          message: `ガイドライン${REVISION_LABELS[ctx.revision]}の次の節に当たる記述が見当たりません: ${absent.map(name).join('、')}。別の規程で定めている場合や抜粋の場合はこのままで構いません（抜粋ならタイトルに（抜粋）と書くか、フロントマターに excerpt: true を書いてください）。クイックフィックスでモデルの節を文末に挿入できます。`,
          span: ctx.doc.metadata.titleSpan ?? { start: 0, end: 0 },
          fixes: absent.flatMap((s) => {
            const body = resolve(s.snippet);
            return body ? [{ title: `モデルの節「${s.title}」を文末に挿入する`, edits: [appendBlock(ctx.doc, ctx.lines, body)], safe: false }] : [];
          }),
          data: { sections: absent.map((s) => s.id).join(','), missing: 'section' },
        });
      }
    }
  },
};

/**
 * The findings of a section written under its own node (not the root), cached by the text of the
 * node's subtree: from the start of its line (a new item copies the indentation before a marker)
 * to the end of its span, with offsets relative to that start. They read nothing else of the
 * document: the part nodes lie in the subtree, element presence and the places of new items are
 * read from its nodes' text, and the subtree is made of the text alone once its depth in the
 * outline is known (part of the cache space, with the section, the revision, the organisation
 * that snippets name, the line breaks and whether the document is an excerpt).
 * A subtree the edit did not touch is the previous analysis' entry (`placed`, by position: the
 * ~440 sections of a 1 MB 例規 cost one comparison each on a keystroke, not Memo lookups); one the
 * edit touched is looked up by its text (the Memo).
 */
function cachedFindings(ctx: RuleContext, s: ShapeSection, spaces: Spaces, findingsOf: (s: ShapeSection, report: RuleContext['report']) => void, placed: PlacedFindings, index: number): Placed {
  const { doc } = ctx;
  const node = doc.nodes[s.node];
  const text = doc.text;
  let start = node.lineSpan.start;
  while (start > 0 && text.charCodeAt(start - 1) !== 10) start--;
  const end = node.span.end;
  const space = spaces.at(node.depth);
  const id = s.section.id;
  const again = placed.find(index, start, end, space, id);
  if (again) {
    sectionStats.placed++;
    return again.start === start ? again : { start, end, space: again.space, id: again.id, list: again.list };
  }
  sectionStats.looked++;
  const list = memoizedAt(space, text, start, end, id, () => {
    const out: Relative[] = [];
    findingsOf(s, (f) => out.push(f));
    // New items' text copies the document's indentation and markers (slices of this version): kept() copies.
    return kept(out, start);
  });
  return { start, end, space, id, list };
}

/** How the language server's analyses came by each section's findings: the previous entry found by position, or the Memo asked (tests, profiling). */
export const sectionStats = { placed: 0, looked: 0 };

/** What an analysis kept of its sections (`now`), and the previous analysis' entries with where the text changed since. */
interface KeptSections { previous: PreviousPlaced | undefined; now: Placed[] }
interface PreviousPlaced { value: Placed[]; prefix: number; suffixStart: number; delta: number }

/** A section's findings as an analysis left them: its subtree's range, cache space and section id, and its findings relative to `start`. */
interface Placed { start: number; end: number; space: string; id: string; list: readonly Relative[] }

/**
 * The previous analysis' Placed entries, and where the text changed since: an entry whose range
 * lies before the edit is valid at the same offsets, one after it at offsets moved by the length
 * difference. The shape usually lists the same sections in the same order, so entry `index` is
 * tried first; otherwise (sections added or removed) the entries are searched by where they start.
 */
class PlacedFindings {
  private byStart: Map<number, Placed[]> | undefined;
  constructor(private readonly old: PreviousPlaced | undefined) {}

  find(index: number, start: number, end: number, space: string, id: string): Placed | undefined {
    const old = this.old;
    if (!old) return undefined;
    // The range in the previous text, if the edit left it alone.
    let from: number, to: number;
    if (end <= old.prefix) { from = start; to = end; } else if (start >= old.suffixStart) { from = start - old.delta; to = end - old.delta; } else return undefined;
    const same = (p: Placed | undefined) => !!p && p.start === from && p.end === to && p.space === space && p.id === id;
    const guess = old.value[index];
    if (same(guess)) return guess;
    if (!this.byStart) {
      this.byStart = new Map();
      for (const p of old.value) { const list = this.byStart.get(p.start); if (list) list.push(p); else this.byStart.set(p.start, [p]); }
    }
    return this.byStart.get(from)?.find(same);
  }
}

/** The cache spaces of one analysis, by depth. */
interface Spaces { at(depth: number): string }
/** Cache spaces by what the findings depend on besides their section's text: one string per depth, made once. */
const spaceLists = new Map<string, string[]>();
function cacheSpaces(ctx: RuleContext, org: string | undefined): Spaces {
  const base = `${spaceFor('required-elements', ctx.knowledge)}\u0000${ctx.revision}\u0000${org ?? ''}\u0000${ctx.lines.eol}\u0000${ctx.doc.metadata.excerpt ? 1 : 0}`;
  let byDepth = spaceLists.get(base);
  if (!byDepth) {
    if (spaceLists.size >= 16) spaceLists.clear();
    byDepth = [];
    spaceLists.set(own(base), byDepth);
  }
  const list = byDepth;
  return { at: (depth) => (list[depth] ??= own(`${base}\u0000${depth}`)) };
}

/** Resolved snippet bodies by organisation and revision (a few of each: the cache is dropped when it grows). */
const snippetCache = new Map<string, Map<string, string | undefined>>();
function resolvedSnippets(org: string | undefined, revision: string): Map<string, string | undefined> {
  const key = `${org ?? ''}\u0000${revision}`;
  let m = snippetCache.get(key);
  if (!m) {
    if (snippetCache.size >= 16) snippetCache.clear();
    m = new Map();
    snippetCache.set(own(key), m);
  }
  return m;
}

function reportPart(ctx: RuleContext, section: RequirementSection, pm: PartMatch, num: string, resolve: (id: string) => string | undefined) {
  const missing = pm.elements.filter((e) => !e.present);
  if (missing.length === 0) return;
  const presentByIndex = pm.part.elements.map((e) => pm.elements.find((x) => x.element === e)?.present ?? false);
  const all: NewItem[] = missing.map((m) => ({ body: resolve(m.element.snippet) ?? '', order: pm.part.elements.indexOf(m.element) })).filter((x) => x.body);
  // "Insert all" goes into the part's own list; each single fix goes where its neighbours are.
  const allChildOrder = (child: OutlineNode) => elementOrderOf(ctx.doc, pm.part, child);
  const anchor = pm.node.kind === 'root' ? ctx.doc.metadata.titleSpan ?? { start: 0, end: 0 } : pm.node.lineSpan;
  const partName = pm.node.kind === 'root' ? `この${section.title}` : pm.virtual ? `「${section.title}」` : `「${pm.part.title}」`;
  // The "insert all" edits are the same for every missing element of the part: built once, copied per finding.
  let allEdits: TextEdit[] | undefined;
  for (const m of missing) {
    const body = resolve(m.element.snippet);
    const fixes: Fix[] = [];
    const order = pm.part.elements.indexOf(m.element);
    if (body) {
      const { parent, anchor, childOrder } = insertionTarget(ctx.doc, pm.part, pm.node, presentByIndex, order);
      fixes.push({ title: `モデル条文「${m.element.label}」を挿入する`, edits: insertItems(ctx.doc, ctx.lines, parent, [{ body, order }], childOrder, anchor), safe: false, preferred: true });
    }
    if (all.length > 1) {
      allEdits ??= insertItems(ctx.doc, ctx.lines, pm.node, all, allChildOrder);
      fixes.push({ title: `この項目に足りない要素をすべて挿入する（${all.length}件）`, edits: allEdits.map((e) => ({ ...e, span: { ...e.span } })), safe: false });
    }
    const where = `ガイドライン${REVISION_LABELS[ctx.revision]} ${num}${pm.part.item}${m.element.item ?? ''}`;
    ctx.report({
      message: `${partName}に「${m.element.label}」が見当たりません（${where}）。${m.element.rationale} クイックフィックスでモデル条文を挿入できます。`,
      span: anchor,
      fixes,
      data: { section: section.id, part: pm.part.id, element: m.element.id },
    });
  }
}

function reportMissingPart(ctx: RuleContext, section: RequirementSection, node: OutlineNode, part: RequirementPart, num: string, resolve: (id: string) => string | undefined, found: PartMatch[]) {
  if (ctx.doc.metadata.excerpt) return;
  const fixes: Fix[] = [];
  const bodies = part.elements.filter((e) => applies(e.revisions, ctx.revision)).map((e) => resolve(e.snippet)).filter((b): b is string => !!b);
  const guidelineLayout = found.some((f) => !f.virtual && f.node !== node && f.node.marker && f.node.marker.style !== 'article');
  if (guidelineLayout && bodies.length) {
    const eol = ctx.lines.eol;
    const circled = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮';
    const body = `${part.title}${eol}${eol}${bodies.map((b, i) => `${circled[i] ?? '・'}${b}`).join(eol + eol)}`;
    const order = section.parts.indexOf(part);
    const childOrder = (child: OutlineNode) => { const f = found.find((x) => x.node === child); return f ? section.parts.indexOf(f.part) : -1; };
    fixes.push({ title: `「${part.title}」のモデルを挿入する`, edits: insertItems(ctx.doc, ctx.lines, node, [{ body, order }], childOrder), safe: false, preferred: true });
  }
  const anchor = node.kind === 'root' ? ctx.doc.metadata.titleSpan ?? { start: 0, end: 0 } : node.lineSpan;
  ctx.report({
    message: `「${section.title}」に「${part.item} ${part.title}」に当たる記述が見当たりません（ガイドライン${REVISION_LABELS[ctx.revision]} ${num}${part.item}）。${part.elements.slice(0, 3).map((e) => e.label).join('、')}などを定めてください。${fixes.length ? 'クイックフィックスでモデルを挿入できます。' : ''}`,
    span: anchor,
    fixes,
    data: { section: section.id, part: part.id, missing: 'part' },
  });
}
