/**
 * The outline's numbering facts and how an edit changed them, worked out once per analysis and
 * read by the rules and the conformance shape that depend on nothing else of the outline
 * (numbering-sequence, numbering-mixed-style, the structure rules' node runs, required-elements).
 */
import type { OutlineNode, PolicyDocument } from './model/types';
import { latest, own, retaining } from './memo';
import { differing, realigned } from './model/outline';
import { rebuiltInPart, retitledInPlace } from './model/document';
import { AnalysisCache } from './analysis-cache';
import { nodeIndex } from './model/search';

/**
 * The numbering facts of an outline: each node's depth, kind and marker, whether a heading is
 * 附則, and whether the document is an excerpt. The groups and what checkGroup() decides depend on
 * nothing else (nor does numbering-mixed-style), so while these facts stay the same (most edits)
 * only the groups that reported before are checked again.
 */
export interface Facts {
  excerpt: boolean;
  depth: Int32Array;
  kind: OutlineNode['kind'][];
  /** 1 for a heading that starts 附則 (a new numbering of 条 and 章). */
  supplement: Uint8Array;
  style: (string | undefined)[];
  value: Float64Array;
  text: (string | undefined)[];
  path: (number[] | undefined)[];
}

/**
 * How the numbering facts changed since the previous analysis (a retained Memo): SAME, CHANGED, or
 * nodes without a marker added or removed (see realign), `at` mapping a previous node index to its
 * index now. Worked out once per analysis and shared by the rules that read these facts only.
 */
export type NumberingChange = typeof SAME | typeof CHANGED | { at: (previous: number) => number };
export const SAME = 'same' as const;
export const CHANGED = 'changed' as const;
const changes = new AnalysisCache<PolicyDocument, NumberingChange>();
export function numberingChange(doc: PolicyDocument): NumberingChange {
  if (!retaining()) return CHANGED;
  let change = changes.get(doc);
  if (change === undefined) {
    let found: NumberingChange = CHANGED;
    latest<Facts>('numbering-facts', doc.text, (old) => {
      if (!old) return factsOf(doc);
      if (keptNumbering(old.value, doc)) { found = SAME; return old.value; }
      const compared = compare(old.value, doc);
      if (compared.same) { found = SAME; return old.value; }
      if (compared.moved) { found = { at: compared.moved.at }; return compared.moved.facts; }
      return compared.facts;
    });
    change = found;
    changes.set(doc, change);
  }
  return change;
}

/**
 * For a rule that reads nothing of the outline but its numbering facts: while the facts are the
 * same, only what reported in the previous analysis can report, so only that is checked again
 * (`recheck`; moved with `move` when marker-less leaves were added or removed). Otherwise
 * `checkAll` checks everything, reporting, and returns what reported (node indexes or groups of
 * them), kept for the next analysis. A retained Memo only (language server).
 */
export function recheckReporting<T>(doc: PolicyDocument, space: string, checkAll: () => T[], move: (item: T, at: (previous: number) => number) => T, recheck: (item: T) => void): void {
  const change = numberingChange(doc);
  let checked = false;
  const reporting = latest<T[]>(space, doc.text, (old) => {
    if (old && change === SAME) return old.value;
    if (old && typeof change === 'object') return old.value.map((item) => move(item, change.at));
    checked = true;
    return checkAll();
  });
  if (!checked) for (const item of reporting) recheck(item);
}

/**
 * The nodes [from, to) whose title or caption an edit of [prefix, suffixStart) may have changed
 * when the outline kept its nodes: from two nodes before the last one whose line starts at or
 * before the edit to two nodes after the first one whose line starts after it (a margin: a title
 * ends at its line break, a caption stands on the line before its article).
 */
export function nodesNear(nodes: OutlineNode[], prefix: number, suffixStart: number): [number, number] {
  // The first node whose line starts after `offset`.
  const after = (offset: number, lo: number) => {
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nodes[mid].lineSpan.start <= offset) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  const a = after(prefix, 0);
  const b = after(suffixStart, a);
  return [Math.max(0, a - 2), Math.min(nodes.length, b + 2)];
}

/**
 * The outline kept its nodes across an edit of a few characters (a keystroke): every node has the
 * numbering facts it had (numberingChange: depth, kind, marker), so that only the nodes around the
 * edit (nodesNear) can have another line, title or caption; the others are where they were, or
 * shifted by the length difference after the edit. Larger edits (a paste could remove nodes and
 * add others alike) do not count.
 */
export function nodesKept(doc: PolicyDocument, edit: { prefix: number; suffixStart: number; delta: number }): boolean {
  const MAX = 8;
  return edit.suffixStart - edit.prefix <= MAX && edit.suffixStart - edit.delta - edit.prefix <= MAX && numberingChange(doc) === SAME;
}

/**
 * The nodes [from, to) (indexes now) that an edit may have changed, when every other node is the
 * previous analysis's (with its depth, kind, marker, title and caption; those after the range
 * possibly at other indexes, as many further as the range gained nodes): after a keystroke that
 * kept the outline's nodes (nodesKept: the nodes around the edit, nodesNear), or after an outline
 * built again in part (rebuiltInPart: the nodes built again). Undefined otherwise.
 */
export function nodesChanged(doc: PolicyDocument, edit: { prefix: number; suffixStart: number; delta: number }): [number, number] | undefined {
  if (nodesKept(doc, edit)) return nodesNear(doc.nodes, edit.prefix, edit.suffixStart);
  const rebuilt = rebuiltInPart(doc);
  return rebuilt && [rebuilt.a, rebuilt.b];
}

/** The numbering facts of the document's outline (copies). */
function factsOf(doc: PolicyDocument): Facts {
  return factsAround(NO_FACTS, doc, 0, 0);
}

const NO_FACTS: Facts = { excerpt: false, depth: new Int32Array(0), kind: [], supplement: new Uint8Array(0), style: [], value: new Float64Array(0), text: [], path: [] };

/**
 * The facts of the outline now, made of `shape` where the first `a` and the last `b` nodes have
 * the facts they had (differing()), and of the nodes in between (copies).
 */
function factsAround(shape: Facts, doc: PolicyDocument, a: number, b: number): Facts {
  const nodes = doc.nodes;
  const n = nodes.length;
  return {
    excerpt: !!doc.metadata.excerpt,
    depth: realigned(shape.depth, n, a, b, (i) => nodes[i].depth, new Int32Array(n)),
    supplement: realigned(shape.supplement, n, a, b, (i) => (supplementHeading(nodes[i]) ? 1 : 0), new Uint8Array(n)),
    value: realigned(shape.value, n, a, b, (i) => nodes[i].marker?.value ?? 0, new Float64Array(n)),
    kind: realigned(shape.kind, n, a, b, (i) => nodes[i].kind),
    style: realigned(shape.style, n, a, b, (i) => nodes[i].marker?.style),
    // Marker texts are short (own() copies them only when long).
    text: realigned(shape.text, n, a, b, (i) => { const mk = nodes[i].marker; return mk && own(mk.text); }),
    path: realigned(shape.path, n, a, b, (i) => nodes[i].marker?.path.slice()),
  };
}

/**
 * Whether the outline has these numbering facts, known without a pass over the nodes: it was
 * changed in place (retitledInPlace), which keeps every node's kind, depth and marker, and no
 * retitled heading started or stopped being 附則 (nor the document an excerpt).
 */
function keptNumbering(shape: Facts, doc: PolicyDocument): boolean {
  const retitled = retitledInPlace(doc);
  if (!retitled || doc.nodes.length !== shape.depth.length || shape.excerpt !== !!doc.metadata.excerpt) return false;
  for (const node of retitled) {
    if (node.kind !== 'heading') continue;
    const i = nodeIndex(doc.nodes, node);
    if (i < 0 || shape.supplement[i] !== (supplementHeading(node) ? 1 : 0)) return false;
  }
  return true;
}

/**
 * The previous facts against the outline now, in one comparison from both ends (differing(); when
 * the outline was built again in part, only the nodes built again are compared):
 * the same facts; or, when the nodes that differ are marker-less leaves, those facts moved
 * (realign); or else the facts now, made of the previous ones where the nodes before and after
 * the difference have the facts they had, and of the nodes in between.
 */
function compare(shape: Facts, doc: PolicyDocument): { same?: true; moved?: { facts: Facts; at: (j: number) => number }; facts: Facts } {
  const nodes = doc.nodes;
  const n = nodes.length, m = shape.depth.length;
  if (shape.excerpt !== !!doc.metadata.excerpt) return { facts: factsOf(doc) };
  const same = (i: number, j: number): boolean => hasFacts(shape, j, nodes[i]);
  let first: [number, number] | undefined;
  const found = differing(n, m, same, (a, b) => {
    first ??= [a, b];
    if (n === m) return a + b >= n;
    return realignable(shape, doc, a, b);
  }, rebuiltInPart(doc));
  if (found && n === m) return { same: true, facts: shape };
  if (found) return { moved: realign(shape, doc, found[0], found[1]), facts: shape };
  return { facts: factsAround(shape, doc, first![0], first![1]) };
}

/** How many nodes compare() has compared with the previous facts (tests, profiling). */
export const factStats = { compared: 0 };

/** Whether `node` has the numbering facts of index `j` of `shape`. */
function hasFacts(shape: Facts, j: number, node: OutlineNode): boolean {
  factStats.compared++;
  if (shape.depth[j] !== node.depth || shape.kind[j] !== node.kind) return false;
  if (node.kind === 'heading' && shape.supplement[j] !== (supplementHeading(node) ? 1 : 0)) return false;
  const mk = node.marker;
  if (!mk) return shape.style[j] === undefined;
  return shape.style[j] === mk.style && shape.value[j] === mk.value && shape.text[j] === mk.text && samePath(shape.path[j], mk.path);
}

/**
 * Whether the facts after an edit that added or removed nodes (typing into the front matter's
 * fence makes its lines a heading) are the previous ones with node indexes moved: the nodes that
 * differ, [a, m - b) before and [a, n - b) now, are leaves without a marker and not 附則, and the
 * nodes before and after them have the numbering facts they had (differing()). Such leaves are in
 * no group and change none: groupsToCheck() reads the children with a marker (and 附則 headings),
 * and the tree without those leaves is the same. (An excerpt's groups read how many children a
 * node has: not there.)
 */
function realignable(shape: Facts, doc: PolicyDocument, a: number, b: number): boolean {
  const nodes = doc.nodes;
  const n = nodes.length, m = shape.depth.length;
  if (n === m || shape.excerpt || doc.metadata.excerpt) return false;
  for (let j = a; j < m - b; j++) {
    if (shape.style[j] !== undefined || shape.supplement[j] !== 0) return false;
    if (j + 1 < m && shape.depth[j + 1] > shape.depth[j]) return false;
  }
  for (let i = a; i < n - b; i++) {
    const node = nodes[i];
    if (node.marker || supplementHeading(node) || node.children.length !== 0) return false;
  }
  return true;
}

/** The facts moved over a realignable() difference, and where a previous node index is now. */
function realign(shape: Facts, doc: PolicyDocument, a: number, b: number): { facts: Facts; at: (j: number) => number } {
  const nodes = doc.nodes;
  const n = nodes.length, m = shape.depth.length;
  const shift = n - m;
  const at = (j: number) => (j < a ? j : j + shift);
  // New nodes: no marker, not 附則.
  return { at, facts: {
    excerpt: false,
    depth: realigned(shape.depth, n, a, b, (i) => nodes[i].depth, new Int32Array(n)),
    supplement: realigned(shape.supplement, n, a, b, () => 0, new Uint8Array(n)),
    value: realigned(shape.value, n, a, b, () => 0, new Float64Array(n)),
    kind: realigned(shape.kind, n, a, b, (i) => nodes[i].kind),
    style: realigned(shape.style, n, a, b, () => undefined),
    text: realigned(shape.text, n, a, b, () => undefined),
    path: realigned(shape.path, n, a, b, () => undefined),
  } };
}

/** A heading that starts 附則 (its first character is looked at before the pattern: most headings are not). */
export const supplementHeading = (n: OutlineNode) => n.kind === 'heading' && n.title.charCodeAt(0) === 0x9644 && /^附[\s\u3000]*則/.test(n.title);

function samePath(a: number[] | undefined, b: number[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
