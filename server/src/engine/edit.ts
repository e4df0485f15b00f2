/** Building edits that respect the document's own layout (numbering style, bullets, line breaks). */
import type { PolicyDocument, OutlineNode } from './model/types';
import type { LineIndex } from './text';
import type { TextEdit } from './types';
import { formatMarker, intrinsicRank, type Marker } from './model/numbering';

const DEFAULT_CHILD: Marker = { style: 'circled', value: 1, path: [1], text: '①', fullWidth: true };

export interface NewItem {
  /** Text of the item without its number (may span lines). */
  body: string;
  /** Index among the part's elements, to keep the guideline order. */
  order: number;
}

interface Layout { prefix: string; separator: string; blankLine: boolean; like: Marker; siblings: OutlineNode[] }

function layoutOf(doc: PolicyDocument, lines: LineIndex, node: OutlineNode, anchor?: OutlineNode): Layout {
  const siblings = node.children.filter((c) => c.kind === 'item' && c.marker && c.marker.style !== 'article' && c.marker.style !== 'chapter');
  // The list that holds the elements: the anchor's own list when known, else the dominant style among the children.
  const counts = new Map<string, OutlineNode[]>();
  for (const c of siblings) {
    const k = c.marker!.style;
    counts.set(k, [...(counts.get(k) ?? []), c]);
  }
  const list = (anchor?.marker && counts.get(anchor.marker.style)) || ([...counts.values()].sort((a, b) => b.length - a.length)[0] ?? []);
  const last = list[list.length - 1];
  if (!last) {
    const lineStart = lines.lineStarts[lines.lineAt(node.lineSpan.start)];
    const ownPrefix = doc.text.slice(lineStart, node.lineSpan.start);
    const bullet = /^([ \t]*)([-*+]|\d+[.)])[ \t]+$/.exec(ownPrefix);
    const articleLike = node.marker?.style === 'article';
    const like: Marker = articleLike ? { style: 'paren-number', value: 1, path: [1], text: '(1)', fullWidth: false } : DEFAULT_CHILD;
    return {
      prefix: bullet ? `${bullet[1]}  ${/\d/.test(bullet[2]) ? '-' : bullet[2]} ` : ownPrefix.replace(/[^\s>]/g, ''),
      separator: like.style === 'paren-number' ? ' ' : '',
      blankLine: !articleLike && (node.kind === 'heading' || !bullet),
      like,
      siblings: [],
    };
  }
  const lineStart = lines.lineStarts[lines.lineAt(last.lineSpan.start)];
  const prev = list[list.length - 2];
  const between = prev ? doc.text.slice(prev.span.end, last.lineSpan.start) : doc.text.slice(node.lineSpan.end, last.lineSpan.start);
  return {
    prefix: doc.text.slice(lineStart, last.lineSpan.start),
    separator: last.markerSpan ? doc.text.slice(last.markerSpan.end, last.titleSpan.start) : '',
    blankLine: /\r?\n[ \t\u3000>]*\r?\n/.test(between),
    like: last.marker!,
    siblings: list,
  };
}

/**
 * Edits that insert numbered items into `node` in guideline order: each new item goes
 * after the existing children that hold earlier elements, takes the next number, and
 * the items after it are renumbered. `childOrder(child)` tells which element order an
 * existing child holds (or -1 when unknown).
 */
export function insertItems(doc: PolicyDocument, lines: LineIndex, node: OutlineNode, items: NewItem[], childOrder: (child: OutlineNode) => number, anchor?: OutlineNode): TextEdit[] {
  const eol = lines.eol;
  const layout = layoutOf(doc, lines, node, anchor?.parent === node ? anchor : undefined);
  const { siblings, like } = layout;
  const orders = siblings.map(childOrder);
  // Each new item's position: after the last sibling holding an earlier element.
  const placed = items
    .map((item) => {
      let after = -1;
      orders.forEach((o, i) => { if (o >= 0 && o < item.order) after = i; });
      // Unknown children keep their place: never insert before a sibling we cannot place when nothing earlier is known.
      if (after === -1 && orders.length && orders.every((o) => o < 0)) after = siblings.length - 1;
      return { ...item, after };
    })
    .sort((a, b) => a.after - b.after || a.order - b.order);

  // Final sequence: existing siblings with new items interleaved.
  const sequence: ({ kind: 'old'; node: OutlineNode } | { kind: 'new'; body: string; after: number })[] = [];
  let p = 0;
  for (let i = -1; i < siblings.length; i++) {
    if (i >= 0) sequence.push({ kind: 'old', node: siblings[i] });
    while (p < placed.length && placed[p].after === i) { sequence.push({ kind: 'new', body: placed[p].body, after: i }); p++; }
  }
  const renumber = intrinsicRank(like) === undefined || like.style === 'paragraph';
  // Items inserted before the first sibling take the numbers before it: (ア) before a list now starting at (イ).
  const before = placed.filter((p) => p.after === -1).length;
  const start = siblings.length ? Math.max(like.style === 'paragraph' ? 2 : 1, siblings[0].marker!.value - (siblings.length ? before : 0)) : like.style === 'paragraph' ? 2 : 1;
  const edits: TextEdit[] = [];
  const inserts = new Map<number, string>();
  sequence.forEach((entry, i) => {
    const value = start + i;
    if (entry.kind === 'old') {
      const mk = entry.node.marker!;
      const want = formatMarker(mk, value);
      if (renumber && want !== mk.text && entry.node.markerSpan) edits.push({ span: entry.node.markerSpan, newText: want });
      return;
    }
    const at = entry.after >= 0 ? siblings[entry.after].span.end : siblings.length ? lines.lineStarts[lines.lineAt(siblings[0].lineSpan.start)] : node.span.end;
    const marker = formatMarker(like, value);
    const indent = layout.prefix.replace(/[^\s>]/g, ' ');
    const body = entry.body.replace(/\r?\n/g, `${eol}${indent}`);
    const item = `${layout.prefix}${marker}${layout.separator}${body}`;
    const sep = layout.blankLine ? eol + eol : eol;
    // After an existing item: newline first. Before the first sibling: the item, then the separator.
    const text = entry.after >= 0 || !siblings.length ? `${sep}${item}` : `${item}${sep}`;
    inserts.set(at, (inserts.get(at) ?? '') + text);
  });
  for (const [at, text] of inserts) {
    // An insertion where a renumbered marker starts becomes part of that edit: two edits at one offset are ambiguous.
    const same = edits.find((e) => e.span.start === at && e.span.end > at);
    if (same) same.newText = text + same.newText;
    else edits.push({ span: { start: at, end: at }, newText: text });
  }
  return edits.sort((a, b) => a.span.start - b.span.start);
}

/** Appends a block (a whole model section) at the end of the document. */
export function appendBlock(doc: PolicyDocument, lines: LineIndex, block: string): TextEdit {
  const eol = lines.eol;
  const end = doc.text.length;
  // Trailing line breaks, scanned from the end (a regex with $ would try every position of a long text).
  let t = end;
  while (t > 0 && (doc.text[t - 1] === '\n' || (doc.text[t - 1] === '\r' && doc.text[t] === '\n'))) t--;
  const trailing = doc.text.slice(t);
  const lead = trailing.length === 0 ? eol + eol : trailing === eol ? eol : '';
  return { span: { start: end, end }, newText: `${lead}${block.replace(/\r?\n/g, eol)}${eol}` };
}
