/** Helpers shared by the wording rules (not a rule itself). */
import type { Clause, OutlineNode, PolicyDocument } from '../../model/types';
import type { Span } from '../../text';
import type { Fix, RuleContext } from '../../types';
import { overlapsCode } from '../../model/document';

/** True when any part of the span lies in code (inline code inside a clause, or a code block). */
export function spanInCode(doc: PolicyDocument, span: Span): boolean {
  return overlapsCode(doc, span.start, span.end);
}

/** Text of a span with every code span blanked out (same length, so offsets still line up). */
export function textWithoutCode(doc: PolicyDocument, span: Span): string {
  let text = doc.text.slice(span.start, span.end);
  for (const c of doc.codeSpans) {
    const s = Math.max(c.start, span.start);
    const e = Math.min(c.end, span.end);
    if (s < e) text = text.slice(0, s - span.start) + ' '.repeat(e - s) + text.slice(e - span.start);
  }
  return text;
}

/** The node's own lines (its title line and body, without children). */
export function ownText(node: OutlineNode): string {
  return node.segments.map((s) => s.text).join('\n');
}

/** The whole outline item: the node and all its descendants, code removed. */
export function itemText(doc: PolicyDocument, node: OutlineNode): string {
  if (node.kind === 'root') return ownText(node);
  return textWithoutCode(doc, node.span);
}

/** Titles and captions of the node and its ancestors (nearest first): the section a clause sits in. */
export function headingContext(node: OutlineNode): string {
  const parts: string[] = [];
  for (let n: OutlineNode | undefined = node; n && n.kind !== 'root'; n = n.parent) parts.push(`${n.caption ?? ''} ${n.title}`);
  return parts.join('\n');
}

/** Whether `index` in `text` lies inside 「…」 or 『…』. */
export function insideQuotes(text: string, index: number): boolean {
  let depth = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    const ch = text[i];
    if (ch === '「' || ch === '『') depth++;
    else if ((ch === '」' || ch === '』') && depth > 0) depth--;
  }
  return depth > 0;
}

/** Runs a global regex over every clause, skipping matches in code. `cb` gets the match, its source span and the clause. */
export function eachMatch(ctx: RuleContext, re: RegExp, cb: (m: RegExpExecArray, span: Span, clause: Clause) => void): void {
  for (const clause of ctx.doc.clauses) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(clause.text))) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      const start = clause.span.start + m.index;
      const span = { start, end: start + m[0].length };
      if (!spanInCode(ctx.doc, span)) cb(m, span, clause);
    }
  }
}

/** Span of a substring of a clause's text, in source offsets. */
export function clauseSpan(clause: Clause, index: number, length: number): Span {
  return { start: clause.span.start + index, end: clause.span.start + index + length };
}

/** A fix that replaces one span; `safe` only when the wording cannot change the meaning. */
export function replaceFix(title: string, span: Span, newText: string, safe: boolean): Fix {
  return { title, edits: [{ span, newText }], safe, preferred: true };
}

/** Heading-like outline titles (Markdown headings and numbered item titles), code removed. */
export function headingTitles(ctx: RuleContext): { text: string; span: Span; node: OutlineNode }[] {
  return ctx.doc.nodes
    .filter((n) => n.kind === 'heading' && n.titleSpan.end > n.titleSpan.start)
    .map((n) => ({ text: textWithoutCode(ctx.doc, n.titleSpan), span: n.titleSpan, node: n }));
}

/** Whether a span is the document's own title (its name, which rules leave alone). */
export function isDocumentTitle(ctx: RuleContext, span: Span): boolean {
  const t = ctx.doc.metadata.titleSpan;
  return !!t && t.start <= span.start && span.end <= t.end;
}
