/**
 * One list written in two numbering styles: (1) a / ２） b / (3) c. The outline builder nests a
 * new style under the previous item, so the mix shows up as a child list that does not start
 * at 1 but continues its parent's number, followed by the parent's next sibling.
 */
import type { Fix, Rule, RuleContext } from '../../types';
import type { OutlineNode } from '../../model/types';
import { formatMarker, intrinsicRank, styleKey, styleLabel, type Marker } from '../../model/numbering';
import { retaining } from '../../memo';
import { recheckReporting } from '../../numbering-facts';

/** Styles that make a plain list (not 章・条・項 or 6.1, whose levels are fixed). */
function listStyle(m: Marker | undefined): boolean {
  if (!m) return false;
  if (m.style === 'decimal') return m.path.length === 1;
  return intrinsicRank(m) === undefined;
}

export const numberingMixedStyle: Rule = {
  meta: {
    id: 'numbering-mixed-style',
    aliases: ['mixed-numbering', 'LGP405'],
    title: '一つの並びに異なる番号の書き方が混在',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['structure', 'numbering'],
    guideline: ['第2編 例文の番号体系（(1) → ① → (ア) の階層）'],
    seeds: ['意見63'],
  },
  check(ctx) {
    const { doc } = ctx;
    const nodes = doc.nodes;
    if (!retaining()) {
      for (let i = 0; i < nodes.length; i++) checkParent(ctx, nodes[i]);
      return;
    }
    // What this rule reads is the outline's numbering (see numberingChange): while it stays the
    // same, only the parents that reported before can report (their findings are made again: spans move).
    const checkAll = () => {
      const out: number[] = [];
      for (let i = 0; i < nodes.length; i++) if (checkParent(ctx, nodes[i])) out.push(i);
      return out;
    };
    recheckReporting(doc, 'numbering-mixed-style', checkAll, (i, at) => at(i), (i) => checkParent(ctx, nodes[i]));
  },
};

/** Reports the mixed list under `parent`, if there is one; whether it did. */
function checkParent(ctx: RuleContext, parent: OutlineNode): boolean {
  // Most nodes have no children: nothing to read (before the marker tests, which cost more).
  if (parent.children.length === 0) return false;
  const pm = parent.marker;
  if (!listStyle(pm)) return false;
  // The first marked child, found without building the list (most nodes fail the tests below).
  let first: OutlineNode | undefined;
  for (const c of parent.children) if (c.marker) { first = c; break; }
  if (!first || !listStyle(first.marker) || styleKey(first.marker!) === styleKey(pm!)) return false;
  if (first.marker!.value !== pm!.value + 1 || first.marker!.value < 2) return false;
  const marked = parent.children.filter((c) => c.marker);
  // The run of the other style that continues the numbering.
  const run: OutlineNode[] = [];
  for (const c of marked) {
    if (styleKey(c.marker!) !== styleKey(first.marker!) || c.marker!.value !== first.marker!.value + run.length) break;
    run.push(c);
  }
  const siblings = parent.parent?.children.filter((c) => c.marker && styleKey(c.marker) === styleKey(pm!)) ?? [];
  const next = siblings[siblings.indexOf(parent) + 1];
  const lastValue = run[run.length - 1].marker!.value;
  if (next && next.marker!.value !== lastValue + 1) return false;
  const edits = run.filter((n) => n.markerSpan).map((n) => ({ span: n.markerSpan!, newText: formatMarker(pm!, n.marker!.value) }));
  const fixes: Fix[] = edits.length ? [{ title: `番号の書き方を「${pm!.text}」にそろえる（${run.map((n) => n.marker!.text).join('、')}）`, edits, safe: false }] : [];
  ctx.report({
    message: `「${first.marker!.text}」は「${pm!.text}」の並びの続きの番号ですが、書き方が違います（${styleLabel(pm!)}と${styleLabel(first.marker!)}）。同じ並びの中で書き方が変わると、下の階層の項目なのか同じ階層の続きなのか読み手が判断できず、番号による引用もずれます。同じ階層の項目は同じ書き方にそろえてください。`,
    span: first.markerSpan ?? first.lineSpan,
    fixes,
    related: [{ span: parent.markerSpan ?? parent.lineSpan, message: `並びの直前の番号 ${pm!.text}` }],
    data: { marker: first.marker!.text, expected: formatMarker(pm!, first.marker!.value) },
  });
  return true;
}
