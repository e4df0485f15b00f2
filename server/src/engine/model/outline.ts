/**
 * Builds the outline tree from source lines: Markdown headings nest by depth, and
 * numbered lines nest by the order their styles appear (the way a reader infers it),
 * with 章 > 節 > 条 > 項 and 6. > 6.1 > 6.1.1 fixed.
 */
import type { Extracted, SegmentCache, SourceLine } from './lines';
import { keep } from '../memo';
import { spliced } from '../text';
import type { OutlineNode, TableInfo, TextSegment } from './types';
import { intrinsicRank, parseMarker as parseMarkerNow, reinterpretKana, styleKey, type Marker, type MarkerMatch } from './numbering';

/**
 * parseMarker() of a line, cached with the line (after an edit only the lines of changed blocks
 * are read again). The outline adjusts イロハ markers in place: those are fresh copies; other
 * markers are shared (a bare number that becomes a 項 is copied where that is decided).
 */
function parseMarker(line: SourceLine): MarkerMatch | undefined {
  if (!line.cache) return parseMarkerNow(line.text);
  let m = line.cache.marker;
  if (m === undefined) m = line.cache.marker = parseMarkerNow(line.text) ?? null;
  if (!m) return undefined;
  return m.marker.kana !== undefined ? { marker: { ...m.marker, path: [...m.marker.path] }, length: m.length } : m;
}

const CAPTION = /^[（(]([^（）()]{1,40})[)）]$/;
const TOC_START = /^[<＜〈《【(（]?目[\s\u3000]*次[>＞〉》】)）]?$/;
/** A table-of-contents entry: 第1章 総則（第1条―第4条） */
const TOC_RANGE = /[（(]第[0-9０-９一二三四五六七八九十百]+条(?:[―－‐\-~〜・、][^（）()]*)?[)）]$/;
const stripRange = (s: string) => s.replace(TOC_RANGE, '').replace(/[\s\u3000]+/g, '');
/** A line that opens a 目次 (TOC_START needs 目 as the first or second character). */
const opensToc = (text: string) => (text.charCodeAt(0) === 0x76ee || text.charCodeAt(1) === 0x76ee) && TOC_START.test(text);
/** The caption of a （目的） line (CAPTION needs an opening parenthesis first). */
export const captionOf = (text: string) => { const c0 = text.charCodeAt(0); return c0 === 0xff08 || c0 === 0x28 ? CAPTION.exec(text)?.[1] : undefined; };

/**
 * What the outline reads from a line's text besides the text itself: its numbering marker, and
 * whether it could open a 目次, be a 目次 entry or a caption. Two texts with the same signature
 * give the same outline (patch.ts).
 */
export function outlineSignature(text: string): string {
  const toc = opensToc(text);
  const range = TOC_RANGE.test(text);
  const caption = captionOf(text) !== undefined;
  const m = parseMarkerNow(text);
  return `${+toc}${+range}${+caption}${m ? JSON.stringify(m) : ''}`;
}

interface StackEntry { node: OutlineNode; key: string; rank: number | undefined }

export interface OutlineResult {
  root: OutlineNode;
  nodes: OutlineNode[];
  /** For each source line, the node that owns it (its content target). */
  lineOwner: OutlineNode[];
  /** For each source line, what the outline made of it (LINE_* bits; see patch.ts). */
  lineRole: Uint8Array;
  /** For each source line, the segment made from it (its owner's text, or an item's title). */
  lineSegment: (TextSegment | undefined)[];
  /**
   * With a previous outline: the lines [from, to) and nodes [a, b) this build made; the others are
   * the previous build's (same nodes, same parents; moved with their lines).
   */
  rebuilt?: { from: number; to: number; a: number; b: number };
}

/** The line made its owner node (a heading, an item, a caption). */
export const LINE_NODE = 1;
/** The line is a segment of its owner (plain text). */
export const LINE_SEGMENT = 2;
/** How the outline reads the line depends on more than its marker (目次, captions): a change to its text may change the outline. */
export const LINE_FIXED = 4;

/**
 * The outline built for the previous version of the text, and for each line now, the index of the
 * same line object then (-1 for a line parsed anew): its node and segment objects are reused.
 */
export interface PreviousOutline {
  root: OutlineNode; nodes: OutlineNode[]; lineOwner: OutlineNode[]; lineRole: Uint8Array; lineSegment: (TextSegment | undefined)[]; from: Int32Array;
  /** Where the text changed: new[0, prefix) and new[suffixStart, end) are the previous text's (moved). */
  prefix?: number; suffixStart?: number;
  /** The first line of the common tail (see spliceCandidates), when the extraction knows it (its runs of lines). */
  tailFrom?: number;
}

/**
 * How often buildOutline kept the previous outline's tail, how often it resumed the previous
 * build after its start, and how many lines its last build with a previous outline made again
 * (tests, profiling).
 */
export const spliceStats = { spliced: 0, resumed: 0, lastRebuiltLines: 0 };

/**
 * Where buildOutline may stop and keep the previous outline's tail (see spliceTail): lines K (the
 * first few) from which the lines are the previous build's lines, same objects, in the same order
 * up to the end, that the previous build made headings, or 章 items directly under a heading (or
 * the root), with the heading stack they were made under (root first; the previous build's
 * parents, taken before this build changes them). A heading ends any open item, pending caption
 * or 目次, and so does a 第N章 line when no 附則 item is open (章 is the outermost rank but
 * 附則's): the build from K on only depends on the lines from K on and the heading stack, and
 * everything after K hangs below K, a later heading or chapter, or a node of that stack. Once the
 * new build reaches K with the same stack, no open item above 章 and no 目次 (checked in
 * buildOutline), the rest is the previous build's. 例規-style documents are written under one
 * title heading: their chapters are where an edit's rebuild can stop.
 */
interface SpliceCandidate { index: number; stack: OutlineNode[]; chapter: boolean }
/** How many headings or chapters of the common tail are tried (the stack usually matches at the first one). */
const SPLICE_CANDIDATES = 8;

/** Rank of a 章 (numbering.ts intrinsicRank): only a 附則 item (rank 0) stays open across a chapter line. */
const CHAPTER_RANK = 1;

/**
 * Whether the previous build made `node` of a line that starts the build's state afresh: a heading,
 * or a 章 item whose parent is a heading or the root (no item was open above it). `chapter`: the latter.
 */
function freshStart(node: OutlineNode, line: SourceLine): { chapter: boolean } | undefined {
  if (node.kind === 'heading' && line.kind === 'heading') return { chapter: false };
  if (node.kind === 'item' && line.kind === 'line' && node.marker?.style === 'chapter' && node.parent && node.parent.kind !== 'item') return { chapter: true };
  return undefined;
}

function spliceCandidates(lines: SourceLine[], previous: PreviousOutline, from0: number): SpliceCandidate[] {
  const from = previous.from;
  const n = lines.length;
  const oldCount = previous.lineOwner.length;
  const out: SpliceCandidate[] = [];
  if (n === 0 || from[n - 1] !== oldCount - 1) return out;
  // The common tail: lines kept in order up to the end of both texts (known from the extraction's
  // runs of lines, else a walk back over the tail: ~40,000 lines in a 1 MB 例規).
  let t = previous.tailFrom ?? n - 1;
  if (previous.tailFrom === undefined) while (t > 0 && from[t - 1] >= 0 && from[t - 1] === from[t] - 1) t--;
  for (let k = Math.max(t, from0); k < n && out.length < SPLICE_CANDIDATES; k++) {
    const j = from[k];
    if (!(previous.lineRole[j] & LINE_NODE)) continue;
    const node = previous.lineOwner[j];
    const fresh = freshStart(node, lines[k]);
    if (!fresh) continue;
    const stack: OutlineNode[] = [];
    for (let a: OutlineNode | undefined = node.parent; a; a = a.parent) stack.push(a);
    if (stack[stack.length - 1] !== previous.root) continue;
    out.push({ index: k, stack: stack.reverse(), chapter: fresh.chapter });
  }
  return out;
}

/**
 * Where buildOutline may start: the last line J before the first line that is not the previous
 * build's (same object at the same index), still where it was, that the previous build made a
 * heading without a caption (none came from the line before), or a 章 item directly under a
 * heading or the root (freshStart). The build up to J only depends on the lines before it, and at
 * such a line its state is the heading stack of J's ancestors (an open item, caption or 目次 ends
 * there): the nodes before J are the previous ones, and the build resumes at J with that stack.
 * Not when a node of that stack has a child numbered in kana before J (イロハ is decided over all
 * the children, some of them made again).
 * `node`: the index of J's node in the previous nodes; `stack`: root first.
 */
function resumeAt(lines: SourceLine[], previous: PreviousOutline): { index: number; node: number; stack: OutlineNode[] } | undefined {
  const from = previous.from;
  let end = 0;
  while (end < lines.length && from[end] === end) end++;
  for (let k = end - 1; k >= 0; k--) {
    if (!(previous.lineRole[k] & LINE_NODE)) continue;
    const node = previous.lineOwner[k];
    if (!freshStart(node, lines[k])) {
      if (lines[k].kind === 'heading') return undefined;
      continue;
    }
    if (node.caption !== undefined || node.lineSpan.start !== lines[k].start) return undefined;
    const stack: OutlineNode[] = [];
    for (let a: OutlineNode | undefined = node.parent; a; a = a.parent) stack.push(a);
    stack.reverse();
    if (stack[0] !== previous.root) return undefined;
    for (const s of stack) for (const c of s.children) { if (c.lineSpan.start >= node.lineSpan.start) break; if (c.marker?.kana !== undefined) return undefined; }
    const index = node.id - 1;
    if (previous.nodes[index] !== node) return undefined;
    return { index: k, node: index, stack };
  }
  return undefined;
}

export function buildOutline(text: string, lines: SourceLine[], previous?: PreviousOutline): OutlineResult {
  let nextId = 1;
  let root: OutlineNode;
  // The language server: where the previous build can be resumed (see resumeAt), before anything changes it.
  const resume = previous ? resumeAt(lines, previous) : undefined;
  if (previous) {
    // The language server: the same objects, filled in again (no allocation for what did not change).
    root = previous.root;
    root.span.end = text.length;
    if (!resume) {
      root.segments = [];
      root.children = [];
    }
  } else {
    // The properties of every node, in the same order (one shape for all nodes, see makeNode).
    root = {
      id: 0, kind: 'root', headingDepth: 0, marker: undefined, title: '', lineSpan: { start: 0, end: 0 }, markerSpan: undefined, titleSpan: { start: 0, end: 0 },
      span: { start: 0, end: text.length }, segments: [], parent: undefined, children: [], depth: 0, caption: undefined,
    };
  }
  /** The node the previous outline made of line `index` (the same line object), if any. */
  const oldNode = (index: number): OutlineNode | undefined => {
    const i = previous ? previous.from[index] : -1;
    return i >= 0 && previous!.lineRole[i] & LINE_NODE ? previous!.lineOwner[i] : undefined;
  };
  const oldSegment = (index: number): TextSegment | undefined => {
    const i = previous ? previous.from[index] : -1;
    return i >= 0 ? previous!.lineSegment[i] : undefined;
  };
  /** A segment for a line: the previous one (same line object, so same text) or a new one. */
  const segmentOf = (index: number, segmentText: string, offset: number, cache: SegmentCache | undefined): TextSegment => {
    const old = oldSegment(index);
    if (old && old.text === segmentText) { old.offset = offset; old.cache = cache; return old; }
    return { text: segmentText, offset, cache };
  };
  let nodes: OutlineNode[] = [];
  let lineOwner: OutlineNode[] = [];
  const lineRole = new Uint8Array(lines.length);
  let lineSegment: (TextSegment | undefined)[] = new Array(lines.length);
  const headingStack: OutlineNode[] = [root];
  let items: StackEntry[] = [];
  let pendingCaption: string | undefined;
  /** Nodes with a child numbered in kana (イロハ is decided per group of such siblings). */
  const kanaParents = new Set<OutlineNode>();

  const current = (): OutlineNode => (items.length ? items[items.length - 1].node : headingStack[headingStack.length - 1]);
  const inArticle = (): boolean => {
    for (const e of items) if (e.node.marker?.style === 'article') return true;
    for (const h of headingStack) if (h.marker?.style === 'article') return true;
    return false;
  };

  const makeNode = (index: number, line: SourceLine, kind: 'heading' | 'item', marker: Marker | undefined, markerLength: number, parent: OutlineNode): OutlineNode => {
    const titleStart = line.start + markerLength;
    const old = oldNode(index);
    let node: OutlineNode;
    if (old) {
      // The same line object: same text, so the same title when the marker is as long as before.
      const sameTitle = old.titleSpan.end - old.titleSpan.start === line.end - titleStart && old.kind === kind;
      node = old;
      node.id = nextId++;
      node.kind = kind;
      node.headingDepth = line.headingDepth;
      node.marker = marker;
      if (!sameTitle) node.title = keep(text.slice(titleStart, line.end));
      node.lineSpan.start = line.start; node.lineSpan.end = line.end;
      if (marker) {
        if (node.markerSpan) { node.markerSpan.start = line.start; node.markerSpan.end = line.start + marker.text.length; }
        else node.markerSpan = { start: line.start, end: line.start + marker.text.length };
      } else node.markerSpan = undefined;
      node.titleSpan.start = titleStart; node.titleSpan.end = line.end;
      node.span.start = line.start; node.span.end = line.end;
      // Emptied by pop() (setting an array's length is a slow call; new lists would be garbage).
      const segments = node.segments, children = node.children;
      while (segments.length !== 0) segments.pop();
      node.parent = parent;
      while (children.length !== 0) children.pop();
      node.depth = parent.depth + 1;
      node.caption = undefined;
    } else {
      node = {
        id: nextId++, kind, headingDepth: line.headingDepth, marker,
        // A copy when the node may outlive the analysis: a slice would keep this version of the text alive.
        title: keep(text.slice(titleStart, line.end)),
        lineSpan: { start: line.start, end: line.end },
        markerSpan: marker ? { start: line.start, end: line.start + marker.text.length } : undefined,
        titleSpan: { start: titleStart, end: line.end },
        span: { start: line.start, end: line.end },
        segments: [], parent, children: [], depth: parent.depth + 1,
        // Present from the start (set below for some nodes): every node has the same shape, which
        // keeps the code that reads nodes (rules) monomorphic.
        caption: undefined,
      };
    }
    if (marker?.kana) kanaParents.add(parent);
    if (pendingCaption !== undefined && marker?.style === 'article') node.caption = pendingCaption;
    pendingCaption = undefined;
    // A first item goes into a list made for it: push() on an empty list reserves 17 places, and
    // most nodes have one segment and few children (~1 MB of a 1 MB document's model).
    if (parent.children.length === 0) parent.children = [node]; else parent.children.push(node);
    nodes.push(node);
    return node;
  };

  let toc: { first?: string } | undefined;

  /**
   * The previous outline's tail from line `index` on, kept (spliceLine): its nodes are moved by
   * the same offset as their lines (extractBlocks moved the lines already) and numbered on.
   */
  const spliceTail = (index: number, stack: OutlineNode[]): boolean => {
    const p = previous!;
    const j = p.from[index];
    const first = p.lineOwner[j];
    // Its caption came from the line before (a caption waiting now would be undefined here).
    if (first.caption !== undefined) return false;
    // (Its id is its index + 1 in the previous list, unless that build was spliced too.)
    const start = p.nodes[first.id - 1] === first ? first.id - 1 : p.nodes.indexOf(first);
    if (start < 0) return false;
    // The イロハ groups of the stack's nodes are decided over all their children: none may be in the tail.
    // (The stack is a chain from the root: its node of depth d is stack[d].)
    const top = stack.length;
    for (let k = start; k < p.nodes.length; k++) { const node = p.nodes[k]; if (node.depth <= top && stack[node.depth - 1] === node.parent && node.marker?.kana !== undefined) return false; }
    // Offsets from the lines (extractBlocks moved them; an edit after the heading that left no line
    // of its own, in a code block say, moved only the lines after it): a node is where its line is,
    // a segment where its line is (its title, for an item's).
    // The text changed only between the resumed heading and this one: what the nodes before and after
    // hold did not change, their ends stand (moved) and only the nodes built again and the stack are settled.
    // (Built from the first line, with no heading resumed at: the text changed only before this one.)
    keptEnds = p.prefix !== undefined && p.suffixStart !== undefined && (!resume || p.prefix >= lines[resume.index].start) && p.suffixStart <= lines[index].start;
    for (let i = index; i < lines.length; i++) {
      const k = j + i - index;
      const role = p.lineRole[k], line = lines[i];
      if (role & LINE_NODE) {
        const node = p.lineOwner[k];
        const d = line.start - node.lineSpan.start;
        if (d !== 0) {
          node.lineSpan.start += d; node.lineSpan.end += d;
          node.titleSpan.start += d; node.titleSpan.end += d;
          if (node.markerSpan) { node.markerSpan.start += d; node.markerSpan.end += d; }
          node.span.start = node.lineSpan.start;
          if (keptEnds) node.span.end += d;
        }
        const segment = p.lineSegment[k];
        if (segment) segment.offset = node.titleSpan.start;
      } else if (role & LINE_SEGMENT) {
        const segment = p.lineSegment[k];
        if (segment) segment.offset = line.start;
      }
    }
    for (let k = start; k < p.nodes.length; k++) {
      const node = p.nodes[k];
      node.id = nextId++;
      // Settled again below (tables stretch spans: attachBlocks).
      if (!keptEnds) node.span.end = node.lineSpan.end;
      // A child of the stack's nodes (their lists hold the children made so far; the others' are the previous ones).
      if (node.depth <= top && stack[node.depth - 1] === node.parent) node.parent!.children.push(node);
    }
    // The previous lists with the new start (they are not read again: the previous state is given up).
    p.nodes.splice(0, start, ...nodes);
    nodes = p.nodes;
    p.lineOwner.splice(0, j, ...lineOwner);
    lineOwner = p.lineOwner;
    p.lineSegment.splice(0, j, ...lineSegment.slice(0, index));
    lineSegment = p.lineSegment;
    lineRole.set(p.lineRole.subarray(j), index);
    spliceStats.spliced++;
    return true;
  };
  const candidates = previous ? spliceCandidates(lines, previous, resume ? resume.index + 1 : 0) : [];
  let candidate = 0;
  let first = 0;
  /** Where the kept tail starts (spliceTail): its first line and node. */
  let rebuiltTo = lines.length, rebuiltNodes = -1;
  /** See spliceTail. */
  let keptEnds = false;
  /** The heading stack the tail was kept under (its nodes take the tail's children). */
  let tailStack: OutlineNode[] = [];
  if (resume) {
    // The previous build's nodes and lines before the resumed heading are kept as they are; the
    // heading's ancestors lose their children from it on (made again below). Node spans are settled again below.
    const p = previous!;
    const at = lines[resume.index].start;
    for (const s of resume.stack) { const children = s.children; while (children.length !== 0 && children[children.length - 1].lineSpan.start >= at) children.pop(); }
    nodes = p.nodes.slice(0, resume.node);
    nextId = resume.node + 1;
    lineOwner = p.lineOwner.slice(0, resume.index);
    lineRole.set(p.lineRole.subarray(0, resume.index));
    for (let i = 0; i < resume.index; i++) lineSegment[i] = p.lineSegment[i];
    for (let i = 1; i < resume.stack.length; i++) headingStack.push(resume.stack[i]);
    first = resume.index;
  }
  /**
   * Whether the heading stack, once line `index` (a heading) has popped what it closes, is `stack`;
   * for a chapter line, whether the heading stack is `stack` and the chapter closes every open item
   * (none ranked above 章, no 目次 that would take the line as an entry).
   */
  const sameStack = (index: number, stack: OutlineNode[], chapter: boolean): boolean => {
    let k = headingStack.length;
    if (chapter) {
      if (toc || (items.length > 0 && firstAtOrBelow(items, CHAPTER_RANK) !== 0)) return false;
    } else {
      const depth = lines[index].headingDepth;
      while (k > 1 && headingStack[k - 1].headingDepth >= depth) k--;
    }
    if (k !== stack.length) return false;
    for (let i = 0; i < k; i++) if (headingStack[i] !== stack[i]) return false;
    return true;
  };

  // A plain loop (no callback per line): this runs for every line on every edit.
  for (let index = first; index < lines.length; index++) {
    const line = lines[index];
    // The state is the previous build's at this heading or chapter: keep the rest (see spliceTail).
    // Not when a caption waits (the heading would take it), nor when the root's イロハ group would
    // span both parts (spliceTail: it is decided over the whole group). An open 目次 does not
    // matter before a heading (never one of its entries, it ends it); before a chapter it does (sameStack).
    if (candidate < candidates.length && index === candidates[candidate].index) {
      const { stack, chapter } = candidates[candidate++];
      const made = nodes.length;
      if (pendingCaption === undefined && sameStack(index, stack, chapter) && spliceTail(index, stack)) { rebuiltTo = index; rebuiltNodes = made; tailStack = stack; break; }
    }
    const next = lines[index + 1];
    // 目次: its entries repeat the body's chapters and must not become outline nodes.
    if (line.kind === 'line' && opensToc(line.text)) {
      toc = {};
      lineRole[index] = LINE_FIXED;
      lineOwner.push(current());
      continue;
    }
    if (toc) {
      // Whether the line ends the 目次 depends on its whole text.
      lineRole[index] = LINE_FIXED;
      const entry = parseMarker(line);
      const isEntry = line.kind === 'line' && (TOC_RANGE.test(line.text) || (entry && ['chapter', 'section', 'division', 'supplement', 'item-dai'].includes(entry.marker.style)) || /^[ 　]*(序|第[0-9０-９一二三四五六七八九十]+章)/.test(line.text) || (!!entry && entry.marker.style !== 'article') || /^[0-9０-９]{1,2}[^0-9０-９.．]/.test(line.text));
      const repeat = toc.first !== undefined && stripRange(line.text) === toc.first;
      if (isEntry && !repeat) {
        toc.first ??= stripRange(line.text);
        lineOwner.push(current());
        continue;
      }
      toc = undefined;
    } else if (line.kind === 'line' && line.text.startsWith('第') && TOC_RANGE.test(line.text)) {
      lineRole[index] = LINE_FIXED;
      lineOwner.push(current());
      continue;
    }
    const caption = captionOf(line.text);
    if (caption !== undefined && next && parseMarker(next)?.marker.style === 'article') {
      pendingCaption = caption;
      lineRole[index] = LINE_FIXED;
      lineOwner.push(current());
      continue;
    }
    if (caption !== undefined && line.kind === 'line') {
      // A caption whose article text is elsewhere still separates what follows (as 例規 readers see it).
      truncate(items, firstAtOrBelow(items, 4));
      const node = makeNode(index, line, 'item', undefined, 0, current());
      node.caption = caption;
      node.title = '';
      node.titleSpan = { start: line.end, end: line.end };
      items.push({ node, key: 'caption', rank: 4 });
      lineRole[index] = LINE_NODE | LINE_FIXED;
      lineOwner.push(node);
      continue;
    }
    const match = parseMarker(line);
    if (line.kind === 'heading') {
      while (headingStack.length > 1 && headingStack[headingStack.length - 1].headingDepth >= line.headingDepth) headingStack.pop();
      items = [];
      const parent = headingStack[headingStack.length - 1];
      const node = makeNode(index, line, 'heading', match?.marker, match?.length ?? 0, parent);
      headingStack.push(node);
      lineRole[index] |= LINE_NODE;
      lineOwner.push(node);
      continue;
    }
    if (!match) {
      const owner = current();
      const segment = segmentOf(index, line.text, line.start, line.cache && (line.cache.line ??= {}));
      if (owner.segments.length === 0) owner.segments = [segment]; else owner.segments.push(segment);
      lineRole[index] |= LINE_SEGMENT;
      lineSegment[index] = segment;
      lineOwner.push(owner);
      continue;
    }
    let marker = match.marker;
    // A copy: the marker may be the one cached with the line.
    if (marker.style === 'bare-number' && inArticle()) marker = { ...marker, path: [...marker.path], style: 'paragraph' };
    const rank = intrinsicRank(marker);
    const key = styleKey(marker);
    if (rank !== undefined) {
      truncate(items, firstAtOrBelow(items, rank));
    } else {
      let idx = -1;
      for (let i = items.length - 1; i >= 0; i--) {
        if (items[i].key === key) { idx = i; break; }
        if (items[i].rank !== undefined) break; // never climb over a 条 or 6.1 to find a sibling
      }
      truncate(items, idx);
    }
    const parent = current();
    const node = makeNode(index, line, 'item', marker, match.length, parent);
    if (node.titleSpan.end > node.titleSpan.start) {
      const segment = segmentOf(index, node.title, node.titleSpan.start, line.cache && (line.cache.title ??= {}));
      node.segments = [segment];
      lineSegment[index] = segment;
    }
    items.push({ node, key, rank });
    lineRole[index] |= LINE_NODE;
    lineOwner.push(node);
  }

  // イロハ lists: decide per sibling group (groups are independent: any order will do).
  for (const node of kanaParents) {
    const groups = new Map<string, Marker[]>();
    for (const c of node.children) {
      if (!c.marker?.kana) continue;
      const k = styleKey(c.marker);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(c.marker);
    }
    for (const g of groups.values()) reinterpretKana(g);
  }

  if (keptEnds) {
    // Only the nodes built again [a, b) and the resumed heading's ancestors (kept, their ends stale): a
    // stack node ends where its own lines or its last child end (children are in document order).
    // Built from the first line: the nodes built again [0, b) only.
    const from = resume ? resume.node : 0, stack = resume ? resume.stack : [root];
    for (const s of stack) if (s !== root) s.span.end = s.lineSpan.end;
    // The nodes the tail hangs below (some built again) reach at least to their last child's end
    // (the tail's ends are final), before the nodes built again pass their ends up.
    for (const s of tailStack) {
      const last = s.children[s.children.length - 1];
      if (s !== root && last && last.span.end > s.span.end) s.span.end = last.span.end;
    }
    settleSpans(nodes, from, rebuiltNodes);
    for (let i = stack.length - 1; i > 0; i--) {
      const s = stack[i];
      let end = s.span.end;
      for (const g of s.segments) { const e = g.offset + g.text.length; if (e > end) end = e; }
      const last = s.children[s.children.length - 1];
      if (last && last.span.end > end) end = last.span.end;
      s.span.end = end;
    }
  } else {
    if (resume) for (let i = 0; i < resume.node; i++) nodes[i].span.end = nodes[i].lineSpan.end;
    settleSpans(nodes);
  }
  const rebuilt = previous ? { from: first, to: rebuiltTo, a: resume ? resume.node : 0, b: rebuiltNodes >= 0 ? rebuiltNodes : nodes.length } : undefined;
  if (resume) spliceStats.resumed++;
  if (previous) spliceStats.lastRebuiltLines = rebuiltTo - first;
  return { root, nodes, lineOwner, lineRole, lineSegment, rebuilt };
}

/** Index of the first open item without a fixed rank or ranked `rank` or deeper, or -1. */
function firstAtOrBelow(items: StackEntry[], rank: number): number {
  for (let i = 0; i < items.length; i++) { const r = items[i].rank; if (r === undefined || r >= rank) return i; }
  return -1;
}

/** Drops the items from `idx` on (none when idx < 0): pop(), since setting an array's length is a slow call. */
function truncate(items: StackEntry[], idx: number): void {
  if (idx >= 0) while (items.length > idx) items.pop();
}

/**
 * Spans: each node runs to the end of its last descendant's content (a node's span ends at its
 * line's end before this). Nodes are in document order and every parent precedes its children:
 * one backward pass settles each node before its parent reads it. [from, to): the nodes to settle
 * (their descendants among them).
 */
export function settleSpans(nodes: OutlineNode[], from = 0, to = nodes.length): void {
  for (let i = to - 1; i >= from; i--) {
    const node = nodes[i];
    let end = node.lineSpan.end;
    for (const s of node.segments) { const e = s.offset + s.text.length; if (e > end) end = e; }
    if (end > node.span.end) node.span.end = end;
    const parent = node.parent!;
    if (parent.kind !== 'root' && node.span.end > parent.span.end) parent.span.end = node.span.end;
  }
}

/**
 * Tables and other blocks (code, HTML) belong to the node that owns the line before them and
 * stretch it (and its ancestors) over themselves. `kept`: the tables of the previous analysis,
 * reused where the span is the same object (language server, patch.ts).
 */
export function attachBlocks(ex: Extracted, root: OutlineNode, lineOwner: OutlineNode[], kept?: TableInfo[]): TableInfo[] {
  const ownerAfter = (afterLine: number): OutlineNode => (afterLine > 0 ? lineOwner[afterLine - 1] : root) ?? root;
  const tables = ex.tables.map((t, i): TableInfo => {
    const node = ownerAfter(t.afterLine);
    extendSpan(node, t.span.end);
    const before = kept?.[i];
    return before && before.span === t.span && before.node === node ? before : { span: t.span, rows: t.rows, node };
  });
  for (const b of ex.blocks) extendSpan(ownerAfter(b.afterLine), b.span.end);
  return tables;
}

/** Extends a node's span (and its ancestors') to cover a block such as a table. */
export function extendSpan(node: OutlineNode, end: number): void {
  for (let n: OutlineNode | undefined = node; n && n.kind !== 'root'; n = n.parent) {
    if (n.span.end < end) n.span.end = end;
  }
}

/** The chain of ancestors (nearest first), root excluded. */
export function ancestors(node: OutlineNode): OutlineNode[] {
  const out: OutlineNode[] = [];
  for (let n = node.parent; n && n.kind !== 'root'; n = n.parent) out.push(n);
  return out;
}

/** Display label for a node: marker + caption or title. */
export function nodeLabel(node: OutlineNode, max = 40): string {
  const marker = node.marker?.text ?? '';
  const body = node.caption ? `（${node.caption}）` : node.title;
  const label = marker && node.title.startsWith(marker) ? node.title : `${marker}${marker && body ? ' ' : ''}${body}`;
  return label.length > max ? label.slice(0, max) + '…' : label || '（無題）';
}

/**
 * The nodes that differ between two lists (n now, m before): [a, n - b) now, [a, m - b) before,
 * a and b the longest common start and end (`same(i, j)`: node i now is node j before). The two
 * may overlap (a node repeated): the end is taken first, then the start, and the other way round
 * when `accept` refuses the first; undefined when it refuses both. `known`: the first `a` items
 * and the items from index `b` on (now) are known to be the same (document.ts rebuiltInPart); they
 * are not compared.
 */
export function differing(n: number, m: number, same: (i: number, j: number) => boolean, accept: (a: number, b: number) => boolean, known?: { a: number; b: number }): [number, number] | undefined {
  const min = Math.min(n, m);
  // Known the same (rebuiltInPart): the first a0 and the last b0 items are not compared.
  const a0 = known ? Math.min(known.a, min) : 0, b0 = known ? Math.min(n - known.b, min) : 0;
  let b = b0;
  while (b < min && same(n - 1 - b, m - 1 - b)) b++;
  let a = Math.min(a0, min - b);
  while (a < min - b && same(a, a)) a++;
  if (accept(a, b)) return [a, b];
  let a2 = a0;
  while (a2 < min && same(a2, a2)) a2++;
  let b2 = Math.min(b0, min - a2);
  while (b2 < min - a2 && same(n - 1 - b2, m - 1 - b2)) b2++;
  if ((a2 !== a || b2 !== b) && accept(a2, b2)) return [a2, b2];
  return undefined;
}

/**
 * A per-node list for the nodes now (n of them), from the previous one (`list`) and the result of
 * differing(): the entries before a and the last b are the previous ones, moved; those in between
 * are fresh(i). Numbers go in a typed array `out` (the kept parts copied natively); without `out`,
 * a plain array is returned (one native copy with the fresh entries in place: spliced()). One loop over every kind of
 * list was slow (~4 ms per edit on 6,000 nodes: its element accesses could not be specialised).
 */
export function realigned<T>(list: readonly T[], n: number, a: number, b: number, fresh: (i: number) => T): T[];
export function realigned<L extends Int32Array | Uint8Array | Float64Array>(list: L, n: number, a: number, b: number, fresh: (i: number) => number, out: L): L;
export function realigned<T>(list: readonly T[] | Int32Array | Uint8Array | Float64Array, n: number, a: number, b: number, fresh: (i: number) => T | number, out?: Int32Array | Uint8Array | Float64Array): T[] | Int32Array | Uint8Array | Float64Array {
  const m = list.length;
  if (out) {
    const numbers = list as Int32Array | Uint8Array | Float64Array;
    out.set(numbers.subarray(0, a));
    if (b > 0) out.set(numbers.subarray(m - b), n - b);
    for (let i = a; i < n - b; i++) out[i] = fresh(i) as number;
    return out;
  }
  const plain = list as readonly T[];
  const middle: T[] = [];
  for (let i = a; i < n - b; i++) middle.push(fresh(i) as T);
  // One copy (spliced): these lists are made again after every edit that adds or removes nodes.
  return spliced(plain, a, m - a - b, middle);
}
