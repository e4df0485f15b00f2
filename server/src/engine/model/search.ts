/** Binary searches over the model's lists, which are in document order. */
import type { OutlineNode } from './types';

/** Index of the first item of `list` whose start (`at`) is at or after `offset` (list.length if none). */
export function firstAtOrAfter<T>(list: readonly T[], offset: number, at: (x: T) => number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(list[mid]) < offset) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Index of the first item whose span starts at or after `offset` (clauses, definitions, references, tables). */
export function firstSpanAt(list: readonly { span: { start: number } }[], offset: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.start < offset) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Index of `node` in the document's nodes (in document order); -1 if absent. An outline build
 * numbers its nodes in order (id = index + 1), so that place is tried first; otherwise (a section's
 * view lists fewer nodes) a binary search on where its line starts.
 */
export function nodeIndex(nodes: readonly OutlineNode[], node: OutlineNode): number {
  const guess = node.id - 1;
  if (guess >= 0 && guess < nodes.length && nodes[guess] === node) return guess;
  for (let i = firstAtOrAfter(nodes, node.lineSpan.start, (n) => n.lineSpan.start); i < nodes.length && nodes[i].lineSpan.start === node.lineSpan.start; i++) if (nodes[i] === node) return i;
  return -1;
}
