/**
 * Typing without rebuilding the outline. The language server analyses the same document after
 * every keystroke; most edits change a few characters inside one block without changing what
 * the outline is made of. For such an edit the previous analysis's lines, outline nodes and
 * segments are kept: the edited block is parsed again, its lines' text is updated, and the
 * offsets of everything after it are shifted in place. Anything else (a new heading, a changed
 * numbering marker, a blank line that splits a block, an edit in the front matter …) is built
 * from scratch. test/unit/incremental.test.ts compares every result with a fresh analysis.
 *
 * The state is handed from one analysis to the next (Memo.latest): the previous analysis's model
 * objects are changed in place and belong to the new one afterwards.
 */
import type { Extracted, SourceLine } from './lines';
import type { TextFacts } from './metadata';
import type { OutlineNode, TableInfo, TextSegment } from './types';
import type { DerivedModel } from './document';
import { cutBlocks, endsWithBlankLine, lookupBlock, moveTable, placed, type Unit } from './blocks';
import { own } from '../memo';
import { LINE_FIXED, LINE_NODE, LINE_SEGMENT, captionOf, extendSpan, outlineSignature } from './outline';
import { firstAtOrAfter } from './search';
import { RECOMMENDED_MARK } from './clauses';
import { captionNamesDefinitions } from './definitions';

export interface ModelState {
  /** The text the state describes (BOM read as a space). */
  source: string;
  /** End of the closed front matter, if the text starts with one. */
  frontMatterEnd?: number;
  ex: Extracted;
  units: Unit[];
  facts?: TextFacts[];
  root: OutlineNode;
  nodes: OutlineNode[];
  lineOwner: OutlineNode[];
  lineRole: Uint8Array;
  lineSegment: (TextSegment | undefined)[];
  tables: TableInfo[];
  /** Counts the changes made in place (a state built anew starts at 0). */
  version: number;
  /** The last change made in place (the one that made `version`). */
  edit?: PatchedBlock;
  /** What buildDocument derived from the state at some version (see document.ts). */
  derived?: DerivedModel;
}

/**
 * What patchModelNow changed: the block [start, oldEnd) of the previous text is [start, end) now
 * (delta = end - oldEnd; everything after it moved by delta); its lines are [L0, L0 + count) of
 * the state's lines, its tables [T0, T0 + tables).
 */
export interface PatchedBlock {
  start: number;
  oldEnd: number;
  end: number;
  delta: number;
  L0: number;
  count: number;
  T0: number;
  tables: number;
  /** The block's nodes: [a, b) of the state's nodes. */
  a: number;
  b: number;
  /** Nodes whose title changed. */
  retitled: OutlineNode[];
  /** A retitled node's title gained or lost the 【推奨事項】 mark. */
  marks: boolean;
  /**
   * An article's caption changed (its node is among `retitled`) from or to one that names a
   * definitions section (（定義）, （用語の意義）): it decides which articles define terms. Other
   * caption changes matter to nothing derived but the targets of references that quote titles.
   */
  captions?: boolean;
  /** The block's text facts before and after (metadata). */
  oldFacts?: TextFacts;
  facts?: TextFacts;
  /**
   * The outline was built again (document.ts), from the lines [L0, L0 + count) to the end of those
   * lines' range [start, end); the nodes before and after are the previous ones, with the same
   * parents, and the text changed only in that range. `retitled` is not known (empty).
   */
  structural?: boolean;
}

export interface Edit { prefix: number; suffixStart: number; delta: number }

/** outlineSignature() of plain text: no 目次, no caption, no marker. */
const PLAIN = '000';

/**
 * The state of `source`, made from the state of the previous text by changing it in place, or
 * undefined when the edit may change the outline (the caller builds from scratch; `state` must
 * then be dropped: it may be half changed).
 */
/** How often an analysis with a previous state changed it in place or built anew (tests, profiling). */
export const patchStats = { patched: 0, rebuilt: 0 };

export function patchModel(state: ModelState, source: string, edit: Edit): ModelState | undefined {
  const r = patchModelNow(state, source, edit);
  if (r) patchStats.patched++; else patchStats.rebuilt++;
  return r;
}
function patchModelNow(state: ModelState, source: string, edit: Edit): ModelState | undefined {
  const { prefix: p, suffixStart, delta } = edit;
  const old = state.source;
  if (source === old) return state;
  const oldEnd = suffixStart - delta;
  // A '---' that could close an open front matter would change where blocks are cut.
  if (state.frontMatterEnd === undefined && old.startsWith('---')) return undefined;
  if (source.slice(p, suffixStart).includes('\r') || old.slice(p, oldEnd).includes('\r')) return undefined;

  // The block holding the edit: strictly after its first character (the first block holds the front matter).
  const units = state.units;
  let lo = 0, hi = units.length - 1, u = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (units[mid].start < p) { u = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (u < 1) return undefined;
  const unit = units[u];
  // An edit that reaches the next block's start is in that block's first line too (spaces typed
  // there can make it continue this block: a table indented into the list item before it).
  if (oldEnd > unit.end || (oldEnd === unit.end && u < units.length - 1) || unit.cuts !== 1) return undefined;
  const start = unit.start;
  const end = unit.end + delta;
  // Still one block, which (unless it is the last) still ends with a blank line, so that the next
  // block still starts where it did.
  if (cutBlocks(source, start, end).length !== 1 || (u < units.length - 1 && !endsWithBlankLine(source, start, end))) return undefined;
  const r = lookupBlock(source, start, end);
  const was = unit.result;
  if (r.open || was.open || r.ex.frontMatter) return undefined;

  // The block's lines as they were and are: the same kinds, except that a line may have been split
  // or lines joined (Enter, or deleting a line break): then the lines [h, h + oldCount) became
  // [h, h + newCount); line h is the same line (edited), the others must be plain text (below).
  const nl = r.ex.lines, ol = was.ex.lines;
  if (r.ex.tables.length !== was.ex.tables.length || r.ex.blocks.length !== was.ex.blocks.length) return undefined;
  let h = nl.length, oldCount = 1, newCount = 1;
  if (nl.length !== ol.length) {
    h = 0;
    while (h < nl.length && h < ol.length && nl[h].text === ol[h].text) h++;
    let t = 0;
    while (t < nl.length - h - 1 && t < ol.length - h - 1 && nl[nl.length - 1 - t].text === ol[ol.length - 1 - t].text) t++;
    oldCount = ol.length - h - t;
    newCount = nl.length - h - t;
    if (oldCount < 1 || newCount < 1) return undefined;
  }
  const lineShift = newCount - oldCount;
  /** The index in the block before the edit of the block's line i now (-1: a line added by a split). */
  const oldIndex = (i: number) => (i <= h ? i : i >= h + newCount ? i - lineShift : -1);
  for (let i = 0; i < nl.length; i++) {
    const j = oldIndex(i);
    const a = nl[i];
    if (j < 0) {
      if (a.kind !== 'line' || a.orderedBullet || outlineSignature(a.text) !== PLAIN) return undefined;
      continue;
    }
    const b = ol[j];
    if (a.kind !== b.kind || a.headingDepth !== b.headingDepth || a.orderedBullet !== b.orderedBullet) return undefined;
  }
  const movedLine = (afterLine: number) => (afterLine <= h ? afterLine : afterLine >= h + oldCount ? afterLine + lineShift : -1);
  for (let i = 0; i < r.ex.tables.length; i++) if (r.ex.tables[i].afterLine !== movedLine(was.ex.tables[i].afterLine)) return undefined;
  for (let i = 0; i < r.ex.blocks.length; i++) if (r.ex.blocks[i].afterLine !== movedLine(was.ex.blocks[i].afterLine)) return undefined;

  // Where the block's items start in the document-wide lists: the first item at or after the
  // block's start (the lists hold the blocks' items block after block; binary search, not a walk over the blocks).
  const lines = state.ex.lines;
  const L0 = firstAtOrAfter(lines, start, (l) => l.start);
  const T0 = firstAtOrAfter(state.ex.tables, start, (t) => t.span.start);
  const C0 = firstAtOrAfter(state.ex.comments, start, (c) => c.span.start);
  const K0 = firstAtOrAfter(state.ex.codeSpans, start, (c) => c.start);
  const B0 = firstAtOrAfter(state.ex.blocks, start, (b) => b.span.start);
  // Lines removed by a join: plain text of the same owner as line h (its content lines).
  const owner = state.lineOwner[L0 + h];
  // (A 目次 or caption line reads the line after it: its neighbours must stay.)
  if (lineShift !== 0 && state.lineRole[L0 + h] & LINE_FIXED) return undefined;
  for (let j = h + 1; j < h + oldCount; j++) if (state.lineRole[L0 + j] !== LINE_SEGMENT || state.lineOwner[L0 + j] !== owner || outlineSignature(ol[j].text) !== PLAIN) return undefined;
  // A changed line must mean the same to the outline: same role, same marker, same kind of title.
  // Of the lines read with their neighbours (目次, captions), only an article's caption may change
  // (its article, on the next line, takes the new caption).
  const recaptioned: { node: OutlineNode; line: number }[] = [];
  for (let i = 0; i < nl.length; i++) {
    const j = oldIndex(i);
    if (j < 0 || nl[i].text === lines[L0 + j].text) continue;
    const role = state.lineRole[L0 + j];
    const before = lines[L0 + j].text, after = nl[i].text;
    if (outlineSignature(before) !== outlineSignature(after)) return undefined;
    if (role & LINE_FIXED) {
      // Still a caption (same signature); the next line is its article.
      const caption = role === LINE_FIXED && lineShift === 0 ? captionOf(before) : undefined;
      const article = state.lineOwner[L0 + j + 1];
      if (caption === undefined || !(state.lineRole[L0 + j + 1] & LINE_NODE) || article.caption !== caption || article.marker?.style !== 'article') return undefined;
      recaptioned.push({ node: article, line: i });
      continue;
    }
    if (role & LINE_NODE) {
      // An item with an empty title has no title segment: the title must stay empty or non-empty.
      const node = state.lineOwner[L0 + j];
      const markerLength = node.titleSpan.start - node.lineSpan.start;
      if ((markerLength >= before.length) !== (markerLength >= after.length)) return undefined;
    }
  }

  // From here on the state is changed in place. The block's lines, tables and spans at their place in the document:
  const fresh = placed(r.ex, start);
  if (lineShift !== 0 || oldCount > 1) {
    // The lines after line h that a split added (a join removed) become (stop being) segments of its owner.
    const added = fresh.lines.slice(h + 1, h + newCount);
    const segments: TextSegment[] = added.map((line) => ({ text: line.text, offset: line.start, cache: line.cache && (line.cache.line ??= {}) }));
    const at = L0 + h + 1, removed = oldCount - 1;
    // Where they go among the owner's segments: after line h's own segment (an item's title comes first).
    let index: number;
    if (removed > 0) index = owner.segments.indexOf(state.lineSegment[at]!);
    else if (state.lineRole[L0 + h] & LINE_NODE) index = state.lineSegment[L0 + h] ? 1 : 0;
    else index = owner.segments.indexOf(state.lineSegment[L0 + h]!) + 1;
    if (index < 0) return undefined;
    owner.segments.splice(index, removed, ...segments);
    lines.splice(at, removed, ...added);
    state.lineOwner.splice(at, removed, ...added.map(() => owner));
    state.lineSegment.splice(at, removed, ...segments);
    const roles = new Uint8Array(state.lineRole.length + lineShift);
    roles.set(state.lineRole.subarray(0, at));
    roles.fill(LINE_SEGMENT, at, at + added.length);
    roles.set(state.lineRole.subarray(at + removed), at + added.length);
    state.lineRole = roles;
  }
  const retitled: OutlineNode[] = [];
  let marks = false;
  const place = (i: number, line: SourceLine, changed: boolean) => {
    const role = state.lineRole[i];
    const segment = state.lineSegment[i];
    if (role & LINE_NODE) {
      const node = state.lineOwner[i];
      const markerLength = node.titleSpan.start - node.lineSpan.start;
      node.lineSpan.start = node.span.start = line.start;
      node.lineSpan.end = line.end;
      if (node.markerSpan) { node.markerSpan.end = line.start + node.markerSpan.end - node.markerSpan.start; node.markerSpan.start = line.start; }
      node.titleSpan.start = line.start + markerLength;
      node.titleSpan.end = line.end;
      // A copy: the node outlives this version of the text.
      if (changed) {
        const before = node.title;
        node.title = own(source.slice(node.titleSpan.start, line.end));
        if (node.title !== before) {
          retitled.push(node);
          if (before.startsWith(RECOMMENDED_MARK) !== node.title.startsWith(RECOMMENDED_MARK)) marks = true;
        }
      }
      if (segment) {
        segment.offset = node.titleSpan.start;
        if (changed) { segment.text = node.title; segment.cache = line.cache && (line.cache.title ??= {}); }
      }
    } else if (role & LINE_SEGMENT && segment) {
      segment.offset = line.start;
      if (changed) { segment.text = line.text; segment.cache = line.cache && (line.cache.line ??= {}); }
    }
  };
  for (let i = 0; i < nl.length; i++) {
    const now = fresh.lines[i];
    let line = lines[L0 + i];
    const changed = line.text !== now.text;
    if (changed) {
      line = lines[L0 + i] = now;
    } else {
      line.start = now.start;
      line.end = now.end;
    }
    place(L0 + i, line, changed);
  }
  let captions = false;
  for (const { node, line } of recaptioned) {
    // A copy: the node outlives this version of the text.
    const caption = own(captionOf(fresh.lines[line].text)!);
    if (caption === node.caption) continue;
    if (captionNamesDefinitions(node.caption) || captionNamesDefinitions(caption)) captions = true;
    node.caption = caption;
    if (!retitled.includes(node)) retitled.push(node);
  }
  if (delta !== 0) {
    // After the block everything moves alike: each offset by delta (what place() would set, without
    // reading the line back; this runs for every line after the edit).
    const roles = state.lineRole, owners = state.lineOwner, segments = state.lineSegment;
    for (let i = L0 + nl.length; i < lines.length; i++) {
      const line = lines[i];
      line.start += delta;
      line.end += delta;
      const role = roles[i];
      if (role & LINE_NODE) {
        const node = owners[i];
        node.lineSpan.start += delta; node.lineSpan.end += delta;
        node.span.start += delta; node.span.end += delta;
        node.titleSpan.start += delta; node.titleSpan.end += delta;
        const marker = node.markerSpan;
        if (marker) { marker.start += delta; marker.end += delta; }
        const segment = segments[i];
        if (segment) segment.offset += delta;
      } else if (role & LINE_SEGMENT) {
        const segment = segments[i];
        if (segment) segment.offset += delta;
      }
    }
  }

  // Tables, comments, code and other blocks: the edited block's anew, the later ones shifted.
  const ex = state.ex;
  const move = (s: { start: number; end: number }) => { s.start += delta; s.end += delta; };
  const replace = <T>(list: T[], from: number, oldCount: number, now: T[], moveAfter: (x: T) => void) => {
    for (let i = from + oldCount; i < list.length; i++) moveAfter(list[i]);
    list.splice(from, oldCount, ...now);
  };
  for (const t of fresh.tables) t.afterLine += L0;
  for (const b of fresh.blocks) b.afterLine += L0;
  replace(ex.tables, T0, was.ex.tables.length, fresh.tables, (t) => { t.afterLine += lineShift; if (delta !== 0) moveTable(t, delta); });
  replace(ex.blocks, B0, was.ex.blocks.length, fresh.blocks, (b) => { b.afterLine += lineShift; if (delta !== 0) move(b.span); });
  replace(ex.codeSpans, K0, was.ex.codeSpans.length, fresh.codeSpans, (c) => { if (delta !== 0) move(c); });
  replace(ex.comments, C0, was.ex.comments.length, fresh.comments, (c) => { if (delta !== 0) move(c.span); });

  const oldUnitEnd = unit.end;
  const last = u === units.length - 1;
  units[u] = { start, end, result: r, cuts: 1 };
  if (delta !== 0) for (let i = u + 1; i < units.length; i++) { units[i].start += delta; units[i].end += delta; }
  if (state.facts) { if (r.facts) state.facts[u] = r.facts; else state.facts = undefined; }

  // The tables of the block anew (the others' spans were moved in place, their nodes are the same).
  const ownerAfter = (afterLine: number): OutlineNode => (afterLine > 0 ? state.lineOwner[afterLine - 1] : state.root) ?? state.root;
  state.tables.splice(T0, was.ex.tables.length, ...fresh.tables.map((t): TableInfo => ({ span: t.span, rows: t.rows, node: ownerAfter(t.afterLine) })));
  state.root.span.end = source.length;
  const [a, b] = settleEdited(state, start, end, oldUnitEnd, delta, last, L0, nl.length, fresh, ownerAfter);
  state.source = source;
  state.version++;
  state.edit = { start, oldEnd: oldUnitEnd, end, delta, L0, count: nl.length, T0, tables: fresh.tables.length, a, b, retitled, marks, captions, oldFacts: was.facts, facts: r.facts };
  return state;
}

/**
 * Node spans after an edit that changed the block [start, oldEnd) into [start, end) without
 * changing the outline (what settleSpans and attachBlocks would give, without a pass over all
 * nodes). A node's span ends where the last thing it or its descendants hold ends (a line, a
 * table, another block). Its old end tells where that thing is:
 * - after the block (old end >= oldEnd, unless the block is the last): moved by delta (the nodes
 *   whose line is after the block were moved with their lines, see patchModelNow);
 * - before the block (old end < start): unchanged;
 * - in the block: the node holds something in the block, now as then (the edit keeps every line's
 *   owner and every table's place), and its last thing is there: its end is its line's end,
 *   stretched over what the block holds below it.
 * The nodes whose end may be in the block are the block's nodes and the ancestors of the last node
 * before the block (a node that spans into the block from before holds that node). Returns where
 * the block's nodes are in the state's list: [a, b).
 */
function settleEdited(state: ModelState, start: number, end: number, oldEnd: number, delta: number, last: boolean, L0: number, count: number, fresh: Extracted, ownerAfter: (afterLine: number) => OutlineNode): [number, number] {
  const nodes = state.nodes;
  const a = firstAtOrAfter(nodes, start, (n) => n.lineSpan.start);
  const b = firstAtOrAfter(nodes, end, (n) => n.lineSpan.start);
  const affected: OutlineNode[] = [];
  const classify = (node: OutlineNode) => {
    const e = node.span.end;
    if (e >= oldEnd && !last) node.span.end = e + delta;
    else if (e >= start) affected.push(node);
  };
  for (let i = a; i < b; i++) classify(nodes[i]);
  for (let n: OutlineNode | undefined = a > 0 ? nodes[a - 1] : undefined; n && n.kind !== 'root'; n = n.parent) classify(n);
  if (affected.length === 0) return [a, b];
  for (const node of affected) node.span.end = node.lineSpan.end;
  const lines = state.ex.lines;
  for (let i = L0; i < L0 + count; i++) {
    const role = state.lineRole[i];
    if (role & LINE_NODE) extendSpan(state.lineOwner[i], lines[i].end);
    else if (role & LINE_SEGMENT) {
      const segment = state.lineSegment[i];
      if (segment) extendSpan(state.lineOwner[i], segment.offset + segment.text.length);
    }
  }
  for (const t of fresh.tables) extendSpan(ownerAfter(t.afterLine), t.span.end);
  for (const x of fresh.blocks) extendSpan(ownerAfter(x.afterLine), x.span.end);
  return [a, b];
}
