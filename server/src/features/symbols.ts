/** Document symbols (the clause outline), folding ranges and go-to-definition over the model. */
import type { Analysis } from '../engine/engine';
import type { OutlineNode } from '../engine/model/types';
import type { Span } from '../engine/text';
import { nodeLabel } from '../engine/model/outline';

export type SymbolKindName = 'heading' | 'chapter' | 'article' | 'item';

export interface OutlineSymbol { name: string; detail: string; kind: SymbolKindName; span: Span; selectionSpan: Span; children: OutlineSymbol[] }

export function outlineSymbols(analysis: Analysis): OutlineSymbol[] {
  const convert = (n: OutlineNode): OutlineSymbol => ({
    name: nodeLabel(n, 50),
    detail: n.caption && n.title ? truncate(n.title, 40) : '',
    kind: n.kind === 'heading' ? 'heading' : n.marker?.style === 'chapter' || n.marker?.style === 'section' ? 'chapter' : n.marker?.style === 'article' ? 'article' : 'item',
    span: n.span,
    selectionSpan: n.lineSpan,
    children: n.children.map(convert),
  });
  return analysis.doc.root.children.map(convert);
}

export function foldingSpans(analysis: Analysis): { startLine: number; endLine: number }[] {
  const out: { startLine: number; endLine: number }[] = [];
  for (const n of analysis.doc.nodes) {
    const startLine = analysis.lines.lineAt(n.span.start);
    const endLine = analysis.lines.lineAt(n.span.end);
    if (endLine > startLine) out.push({ startLine, endLine });
  }
  return out;
}

export function definitionAt(analysis: Analysis, offset: number): { from: Span; to: Span } | undefined {
  const ref = analysis.doc.references.find((r) => r.span.start <= offset && offset <= r.span.end && r.target);
  if (ref?.target) return { from: ref.span, to: ref.target.lineSpan };
  return undefined;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}
