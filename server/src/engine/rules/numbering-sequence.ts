/** Numbering gaps, duplicates and reversals within one level, in every style the model knows. */
import type { Rule, RuleContext, Fix, TextEdit } from '../types';
import type { OutlineNode, PolicyDocument } from '../model/types';
import { retaining } from '../memo';
import { formatMarker, intrinsicRank, styleKey, styleLabel } from '../model/numbering';
import { recheckReporting, supplementHeading } from '../numbering-facts';

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
    // The groups worth checking again are those that reported before, as long as the outline's numbering is the same.
    recheckReporting(doc, 'numbering-sequence', () => reportingGroups(doc, ctx), (group, at) => group.map(at), (group) => checkGroup(group.map((i) => doc.nodes[i]), ctx));
  },
};

/** The groups of nodes numbered in sequence that are worth checking (in document order of their first node). */
function groupsToCheck(doc: PolicyDocument): OutlineNode[][] {
  const groups: OutlineNode[][] = [];
  // 条 and 章 run through the whole document (附則 starts again); other levels restart under each parent.
  // Groups are kept in the order they are first met (numeric keys for 条/章: no key strings to build).
  const global = new Map<number, OutlineNode[]>();
  let supplement = 0;
  // One list written in mixed styles — (1) ２） ３） (4) — counts on across the styles; numbering-mixed-style reports it.
  const mixedList = (node: OutlineNode): Set<string> | undefined => {
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
  };
  const walk = (node: OutlineNode) => {
    const children = node.children;
    if (children.length === 0) return;
    // Local groups by style key and kind, in the order they are first met (a node has few: a list, not a map).
    let local: { key: string; kind: OutlineNode['kind']; nodes: OutlineNode[] }[] | undefined;
    const skip = children.length > 1 ? mixedList(node) : undefined;
    for (const c of children) {
      const mk = c.marker;
      if (mk?.style === 'supplement' || supplementHeading(c)) supplement++;
      if (mk && mk.style !== 'supplement') {
        const k = styleKey(mk);
        if (!skip?.has(k)) {
          if (mk.style === 'article' || mk.style === 'chapter') {
            const key = supplement * 2 + (mk.style === 'article' ? 0 : 1);
            const group = global.get(key);
            if (group) group.push(c); else global.set(key, [c]);
          } else {
            local ??= [];
            const group = local.find((g) => g.key === k && g.kind === c.kind);
            if (group) group.nodes.push(c); else local.push({ key: k, kind: c.kind, nodes: [c] });
          }
        }
      }
      walk(c);
    }
    if (local) for (const g of local) groups.push(g.nodes);
  };
  walk(doc.root);
  for (const g of global.values()) groups.push(g);
  return groups.filter((group) => {
    if (group.length < 2 && group[0]?.marker?.style !== 'paragraph') return false;
    // An excerpt keeps the original numbers of its sections (6.1(14), (16) …): only lists inside one clause are checked.
    if (doc.metadata.excerpt && (intrinsicRank(group[0].marker!) !== undefined || group.every((n) => n.children.length > 0))) return false;
    // Markdown's lazy ordered lists (1. 1. 1.) are numbered by the renderer.
    if (group.length > 1 && group.every((n) => n.marker!.style === 'decimal' && n.marker!.path.length === 1 && n.marker!.value === 1)) return false;
    return true;
  });
}

/** The indexes (in doc.nodes) of the groups that report anything; checks every group on the way (reporting to ctx). */
function reportingGroups(doc: PolicyDocument, ctx: RuleContext): number[][] {
  let index: Map<OutlineNode, number> | undefined;
  const reporting: number[][] = [];
  for (const group of groupsToCheck(doc)) {
    let reports = false;
    // checkGroup() uses nothing of the context but report().
    checkGroup(group, { report: (f: Parameters<RuleContext['report']>[0]) => { reports = true; ctx.report(f); } } as RuleContext);
    if (!reports) continue;
    if (!index) { index = new Map(); doc.nodes.forEach((node, i) => index!.set(node, i)); }
    reporting.push(group.map((node) => index!.get(node)!));
  }
  return reporting;
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
