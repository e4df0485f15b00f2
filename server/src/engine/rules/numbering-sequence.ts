/** Numbering gaps, duplicates and reversals within one level, in every style the model knows. */
import type { Rule, RuleContext, Fix, TextEdit } from '../types';
import type { OutlineNode, PolicyDocument } from '../model/types';
import { latest, retaining } from '../memo';
import { firstAtOrAfter, nodeIndex } from '../model/search';
import { titleChain } from '../sections';
import { formatMarker, intrinsicRank, styleKey, styleLabel } from '../model/numbering';
import { recheckReporting, supplementHeading } from '../numbering-facts';
import { retitledInPlace } from '../model/document';

export const numberingSequence: Rule = {
  meta: {
    id: 'numbering-sequence',
    aliases: ['numbering', 'LGP001'],
    title: '番号の飛び・重複・逆順',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'document',
    tags: ['structure'],
    guideline: ['第2編 例文の番号体系（章・節・条・項・号、6.1(21)①(ア) など）'],
    seeds: ['意見63'],
  },
  check(ctx) {
    const { doc } = ctx;
    if (!retaining()) {
      for (const group of groupsToCheck(doc)) checkGroup(group, ctx);
      return;
    }
    // What the sections held when they were last walked, moved with every edit since (see reportingGroups).
    const walked = latest<KeptSection[]>('numbering-sequence:sections', doc.text, (old) => (old ? movedSections(old.value, old) : []));
    // The groups worth checking again are those that reported before, as long as the outline's numbering is the same.
    // An outline changed in place keeps every node object, marker span and index: what each group reported stands.
    const inPlace = retitledInPlace(doc) !== undefined;
    recheckReporting(doc, 'numbering-sequence', () => reportingGroups(doc, ctx, walked), (group, at) => ({ indexes: group.indexes.map(at), last: group.last }), (group) => recheckGroup(doc, group, ctx, inPlace));
  },
};

type Report = Parameters<RuleContext['report']>[0];

/**
 * A group that reported (kept by recheckReporting while the numbering facts are the same, its
 * indexes moved when marker-less leaves are added or removed): its nodes' indexes, and what it
 * reported last, with the nodes and marker spans it was found on.
 */
interface ReportingGroup { indexes: number[]; last: GroupReports }
interface GroupReports { nodes: OutlineNode[]; spans: OutlineNode['markerSpan'][]; reports: Report[] }

/** checkGroup() (which uses nothing of the context but report()), reporting to `report` and keeping what it reported. */
function checkedGroup(nodes: OutlineNode[], report: (f: Report) => void): GroupReports {
  const reports: Report[] = [];
  checkGroup(nodes, { report: (f: Report) => { reports.push(f); report(f); } } as RuleContext);
  return { nodes, spans: nodes.map((n) => n.markerSpan), reports };
}

/**
 * checkGroup() for a group that reported before, while the outline's numbering facts are the same:
 * when its nodes are the same objects with the same marker span objects (moved in place with the
 * text), what it reports is what it reported, at those spans (the group of the ~2,000 条 of a 1 MB
 * 例規 took ~1 ms to check on every keystroke).
 */
function recheckGroup(doc: PolicyDocument, group: ReportingGroup, ctx: RuleContext, inPlace: boolean): void {
  // One plain loop, no list made: the ~2,000 条 of a 1 MB 例規 are compared (after an edit that
  // rebuilt part of the outline), and mapping them to a new list first was the rule's largest cost (~0.3 ms).
  const { indexes, last: kept } = group;
  const nodes = doc.nodes;
  let same = inPlace;
  if (!inPlace) {
    same = kept.nodes.length === indexes.length;
    for (let k = 0; same && k < indexes.length; k++) {
      const n = nodes[indexes[k]];
      same = n === kept.nodes[k] && n.markerSpan === kept.spans[k];
    }
  }
  if (same) {
    numberingStats.reused++;
    for (const f of kept.reports) ctx.report(f);
    return;
  }
  group.last = checkedGroup(indexes.map((i) => nodes[i]), ctx.report);
}

/**
 * What a walk over (part of) the outline collects: the groups of a parent's children numbered in
 * one style, completed parent by parent, and in document order the 条 and 章 nodes and the starts
 * of 附則 (undefined), from which documentGroups() makes the groups that run through the whole document.
 */
interface Walk { groups: OutlineNode[][]; events: (OutlineNode | undefined)[] }

/**
 * Walks the children of `node`: each child's own marker, then `inner(child)` for what lies below it
 * (walkAll() for the whole subtree).
 */
function walkChildren(node: OutlineNode, out: Walk, inner: (child: OutlineNode, out: Walk) => void): void {
  const children = node.children;
  if (children.length === 0) return;
  // Local groups by style key and kind, in the order they are first met (a node has few: a list, not a map).
  let local: { key: string; kind: OutlineNode['kind']; nodes: OutlineNode[] }[] | undefined;
  const skip = children.length > 1 ? mixedList(node) : undefined;
  for (const c of children) {
    const mk = c.marker;
    if (mk?.style === 'supplement' || supplementHeading(c)) out.events.push(undefined);
    if (mk && mk.style !== 'supplement') {
      const k = styleKey(mk);
      if (!skip?.has(k)) {
        // 条 and 章 run through the whole document (附則 starts again); other levels restart under each parent.
        if (mk.style === 'article' || mk.style === 'chapter') out.events.push(c);
        else {
          local ??= [];
          const group = local.find((g) => g.key === k && g.kind === c.kind);
          if (group) group.nodes.push(c); else local.push({ key: k, kind: c.kind, nodes: [c] });
        }
      }
    }
    inner(c, out);
  }
  if (local) for (const g of local) out.groups.push(g.nodes);
}

function walkAll(node: OutlineNode, out: Walk): void {
  walkChildren(node, out, walkAll);
}

/** One list written in mixed styles — (1) ２） ３） (4) — counts on across the styles; numbering-mixed-style reports it. */
function mixedList(node: OutlineNode): Set<string> | undefined {
  // Most lists are written in one style: found without building anything.
  let style: string | undefined;
  let mixed = false;
  for (const c of node.children) {
    if (c.kind !== 'item' || !c.marker || intrinsicRank(c.marker) !== undefined) continue;
    const k = styleKey(c.marker);
    if (style === undefined) style = k;
    else if (k !== style) { mixed = true; break; }
  }
  if (!mixed) return undefined;
  const items = node.children.filter((c) => c.kind === 'item' && c.marker && intrinsicRank(c.marker) === undefined);
  const styles = new Set(items.map((c) => styleKey(c.marker!)));
  if (styles.size < 2) return undefined;
  const consecutive = items.every((c, i) => i === 0 || c.marker!.value === items[i - 1].marker!.value + 1);
  return consecutive ? styles : undefined;
}

/** The groups of 条 and of 章 from a walk's events: numbered anew after each start of 附則. */
function documentGroups(events: readonly (OutlineNode | undefined)[]): OutlineNode[][] {
  // Numeric keys (no key strings to build): the 附則 count and whether 条 or 章.
  const global = new Map<number, OutlineNode[]>();
  let supplement = 0;
  for (const c of events) {
    if (!c) { supplement++; continue; }
    const key = supplement * 2 + (c.marker!.style === 'article' ? 0 : 1);
    const group = global.get(key);
    if (group) group.push(c); else global.set(key, [c]);
  }
  return [...global.values()];
}

/** Whether a group is worth checking. */
function worthChecking(doc: PolicyDocument, group: OutlineNode[]): boolean {
  if (group.length < 2 && group[0]?.marker?.style !== 'paragraph') return false;
  // An excerpt keeps the original numbers of its sections (6.1(14), (16) …): only lists inside one clause are checked.
  if (doc.metadata.excerpt && (intrinsicRank(group[0].marker!) !== undefined || group.every((n) => n.children.length > 0))) return false;
  // Markdown's lazy ordered lists (1. 1. 1.) are numbered by the renderer.
  if (group.length > 1 && group.every((n) => n.marker!.style === 'decimal' && n.marker!.path.length === 1 && n.marker!.value === 1)) return false;
  return true;
}

/** The groups of nodes numbered in sequence that are worth checking. */
function groupsToCheck(doc: PolicyDocument): OutlineNode[][] {
  const out: Walk = { groups: [], events: [] };
  walkAll(doc.root, out);
  return [...out.groups, ...documentGroups(out.events)].filter((group) => worthChecking(doc, group));
}

/** How many sections reportingGroups() walked, not kept from an earlier walk (tests, profiling). */
export const numberingStats = { walked: 0, reused: 0 };

/**
 * What a section's subtree holds for this rule: the local groups that report and the walk's
 * events, as indexes relative to the section's node (the nodes of a subtree follow it in document
 * order). A subtree is made of its text alone once its depth is known (see required-elements), and
 * a local group and what checkGroup() finds in it read nothing outside the subtree.
 */
interface SectionNumbering { reporting: number[][]; events: number[] }

/**
 * A section as the last walk found it: [start, end) from the start of its node's line to the end
 * of its span, at the offsets of the current text (movedSections), its node's depth, and whether
 * the document was an excerpt (which groups are worth checking).
 */
interface KeptSection { start: number; end: number; depth: number; excerpt: boolean; value: SectionNumbering }

/**
 * The kept sections after an edit (`old[0, prefix)` kept, `new[suffixStart, end)` was
 * `old[suffixStart - delta, end - delta)`): those before the edit as they are, those after it
 * moved, those it touched dropped. Runs with every analysis (a few hundred entries), so that the
 * sections stay usable across the edits that do not walk them.
 */
function movedSections(list: KeptSection[], edit: { prefix: number; suffixStart: number; delta: number }): KeptSection[] {
  const out: KeptSection[] = [];
  const { prefix, suffixStart, delta } = edit;
  for (const k of list) {
    if (k.end <= prefix) out.push(k);
    else if (k.start >= suffixStart - delta) out.push({ ...k, start: k.start + delta, end: k.end + delta });
  }
  return out;
}

/**
 * The indexes (in doc.nodes) of the groups that report anything; checks every group on the way
 * (reporting to ctx). The sections (the children of the node the document is written under, as in
 * sections.ts) whose text did not change since they were last walked (`walked`, replaced by this
 * walk's sections) are not walked again: after an edit that changed the outline only the edited
 * section is, and the groups that run through the document (条, 章, and the sections' own numbers)
 * are checked anew.
 */
function reportingGroups(doc: PolicyDocument, ctx: RuleContext, walked: KeptSection[]): ReportingGroup[] {
  const reporting: ReportingGroup[] = [];
  const nodes = doc.nodes;
  const keep = (group: OutlineNode[], indexes: () => number[]) => {
    const last = checkedGroup(group, ctx.report);
    if (last.reports.length > 0) reporting.push({ indexes: indexes(), last });
  };
  // The sections' parent (sections.ts): the node the document is written under, or the root.
  const parent = titleChain(doc).chain.at(-1) ?? doc.root;
  const text = doc.text;
  const previous = walked.slice();
  const excerpt = !!doc.metadata.excerpt;
  walked.length = 0;
  const section = (c: OutlineNode, out: Walk) => {
    const i0 = nodeIndex(nodes, c);
    if (i0 < 0 || c.children.length === 0) { walkAll(c, out); return; }
    let start = c.lineSpan.start;
    while (start > 0 && text.charCodeAt(start - 1) !== 10) start--;
    const end = c.span.end;
    const at = firstAtOrAfter(previous, start, (k) => k.start);
    const hit = at < previous.length && previous[at].start === start && previous[at].end === end && previous[at].depth === c.depth && previous[at].excerpt === excerpt ? previous[at] : undefined;
    const found = hit?.value ?? sectionNumbering(doc, c, i0);
    walked.push(hit ?? { start, end, depth: c.depth, excerpt, value: found });
    for (const g of found.reporting) keep(g.map((r) => nodes[i0 + r]), () => g.map((r) => i0 + r));
    for (const e of found.events) out.events.push(e < 0 ? undefined : nodes[i0 + e]);
  };
  const top = (c: OutlineNode, out: Walk) => (c.parent === parent ? section(c, out) : walkChildren(c, out, top));
  const out: Walk = { groups: [], events: [] };
  walkChildren(doc.root, out, top);
  for (const group of [...out.groups, ...documentGroups(out.events)]) {
    if (worthChecking(doc, group)) keep(group, () => group.map((node) => nodeIndex(nodes, node)));
  }
  return reporting;
}

/** The SectionNumbering of the section whose node is doc.nodes[i0]: its subtree walked, its local groups checked (without reporting). */
function sectionNumbering(doc: PolicyDocument, c: OutlineNode, i0: number): SectionNumbering {
  numberingStats.walked++;
  const own: Walk = { groups: [], events: [] };
  walkAll(c, own);
  const relative = (n: OutlineNode) => nodeIndex(doc.nodes, n) - i0;
  let reports = false;
  const quiet = { report: () => { reports = true; } } as unknown as RuleContext;
  const groups = own.groups.filter((g) => { if (!worthChecking(doc, g)) return false; reports = false; checkGroup(g, quiet); return reports; });
  return { reporting: groups.map((g) => g.map(relative)), events: own.events.map((e) => (e ? relative(e) : -1)) };
}

function checkGroup(group: OutlineNode[], ctx: Parameters<Rule['check']>[0]) {
  const first = group[0].marker!;
  // Paragraph numbers start at 2: the article's own text is paragraph 1.
  let expected = first.style === 'paragraph' ? 2 : undefined;
  let previous: OutlineNode | undefined;
  for (const node of group) {
    const mk = node.marker!;
    const value = mk.style === 'article' || mk.style === 'decimal' || mk.style === 'dash' ? mk.path : [mk.value];
    if (previous) {
      const pv = previous.marker!;
      const prevValue = pv.style === 'article' || pv.style === 'decimal' || pv.style === 'dash' ? pv.path : [pv.value];
      const cmp = compare(value, prevValue);
      const branchOk = mk.style === 'article' && (value.length > 1 ? value[0] === prevValue[0] && (value[1] === (prevValue[1] ?? 1) + 1) : value[0] === prevValue[0] + 1);
      const plainOk = mk.style !== 'article' && value[value.length - 1] === prevValue[prevValue.length - 1] + 1 && samePrefix(value, prevValue);
      if (cmp === 0) {
        report(ctx, group, node, `${mk.text} が重複しています（${previous.marker!.text} と同じ番号）。2つ目以降の番号を振り直してください。`, previous);
      } else if (cmp < 0) {
        report(ctx, group, node, `${pv.text} の次が ${mk.text} になっていて、番号が逆順です。並び順か番号を確認してください。`, previous);
      } else if (!branchOk && !plainOk && !filledByMixedStyle(previous, mk.value)) {
        const want = formatMarker(pv, pv.value + 1);
        report(ctx, group, node, `${pv.text} の次が ${mk.text} です。${want} が抜けているか、番号が誤っています。番号を振り直すか、抜けている${styleLabel(mk)}を補ってください。`, previous);
      }
    } else if (expected !== undefined && mk.value !== expected && mk.value > expected) {
      report(ctx, group, node, `条の2番目の項は「${formatMarker(mk, expected)}」から始まります（1項目は条の本文）が、${mk.text} になっています。番号を確認してください。`);
    }
    previous = node;
  }
}

/** (1) ２） ３） (4): the gap after (1) is filled by its children in another style (numbering-mixed-style reports that). */
function filledByMixedStyle(previous: OutlineNode, next: number): boolean {
  const pv = previous.marker!;
  if (intrinsicRank(pv) !== undefined) return false;
  const kids = previous.children.filter((c) => c.marker && intrinsicRank(c.marker) === undefined && styleKey(c.marker) !== styleKey(pv));
  if (kids.length === 0) return false;
  return kids.every((c, i) => c.marker!.value === pv.value + 1 + i) && kids[kids.length - 1].marker!.value === next - 1;
}

function samePrefix(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length - 1; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const renumberings = new WeakMap<OutlineNode[], TextEdit[]>();
/** The edits that renumber a group, computed once per group (every finding in it offers the same fix). */
function renumbering(group: OutlineNode[], start: number): TextEdit[] {
  let edits = renumberings.get(group);
  if (!edits) {
    edits = group
      .map((n, i) => ({ n, want: formatMarker(n.marker!, start + i) }))
      .filter(({ n, want }) => n.marker!.text !== want)
      .map(({ n, want }) => ({ span: n.markerSpan!, newText: want }));
    renumberings.set(group, edits);
  }
  return edits;
}

function report(ctx: Parameters<Rule['check']>[0], group: OutlineNode[], node: OutlineNode, message: string, other?: OutlineNode) {
  const fixes: Fix[] = [];
  const mk = node.marker!;
  // Renumbering is offered for list levels only: 条・章・6.1 are cited elsewhere by number.
  if (intrinsicRank(mk) === undefined || mk.style === 'paragraph') {
    const start = group[0].marker!.style === 'paragraph' ? 2 : 1;
    const edits = renumbering(group, start);
    if (edits.length) fixes.push({ title: `この並び（${styleLabel(mk)}）の番号を ${formatMarker(mk, start)} から振り直す`, edits, safe: false, preferred: true });
  }
  ctx.report({
    message,
    span: node.markerSpan ?? node.lineSpan,
    fixes,
    related: other ? [{ span: other.markerSpan ?? other.lineSpan, message: `直前の番号 ${other.marker!.text}` }] : undefined,
  });
}
