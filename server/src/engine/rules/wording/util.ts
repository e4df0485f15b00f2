/** Helpers shared by the wording rules (not a rule itself). */
import type { Clause, OutlineNode, PolicyDocument } from '../../model/types';
import type { Span } from '../../text';
import type { Fix, RuleContext } from '../../types';
import { analysisKey, overlapsCode } from '../../model/document';
import { literalPlaces, retaining } from '../../memo';
import { proseInOrder } from '../consistency/support';
import { AnalysisCache } from '../../analysis-cache';
import { firstSpanAt } from '../../model/search';

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

/**
 * Whether `re` may match in the text of some clause of the document. False only in a one-shot
 * analysis (the CLI) when it matches nowhere in the document's text: each clause's text is the
 * document's text at its span (a test in wording.test.ts holds the model to it), and a pattern
 * without assertions (anchors, \b, lookarounds) that matches inside a piece matches the whole
 * text at the same place. One scan of the text per pattern and document (shared
 * by the section views) instead of one run per clause; most patterns of the wording rules occur in
 * no document at all. The language server re-examines only edited sections: it always says true.
 */
export function mayMatchClauses(doc: PolicyDocument, re: RegExp): boolean {
  if (retaining() || !assertionFree(re)) return true;
  let byPattern = scans.get(analysisKey(doc));
  if (!byPattern) { byPattern = new Map(); scans.set(analysisKey(doc), byPattern); }
  let found = byPattern.get(re);
  if (found === undefined) {
    const lastIndex = re.lastIndex;
    re.lastIndex = 0;
    found = re.test(doc.text);
    re.lastIndex = lastIndex;
    byPattern.set(re, found);
  }
  return found;
}
const scans = new AnalysisCache<object, Map<RegExp, boolean>>();

/** No anchor, word boundary or lookaround outside character classes, and not sticky: what a match reads is what it matches. */
function assertionFree(re: RegExp): boolean {
  let free = assertionFreeCache.get(re);
  if (free === undefined) {
    free = !re.sticky;
    const src = re.source;
    let inClass = false;
    for (let i = 0; free && i < src.length; i++) {
      const ch = src[i];
      if (ch === '\\') { if (!inClass && (src[i + 1] === 'b' || src[i + 1] === 'B')) free = false; i++; continue; }
      if (inClass) { if (ch === ']') inClass = false; continue; }
      if (ch === '[') inClass = true;
      else if (ch === '^' || ch === '$') free = false;
      else if (ch === '(' && src[i + 1] === '?' && (src[i + 2] === '=' || src[i + 2] === '!' || (src[i + 2] === '<' && (src[i + 3] === '=' || src[i + 3] === '!')))) free = false;
    }
    assertionFreeCache.set(re, free);
  }
  return free;
}
const assertionFreeCache = new WeakMap<RegExp, boolean>();

/** Runs a global regex over every clause, skipping matches in code. `cb` gets the match, its source span and the clause. */
export function eachMatch(ctx: RuleContext, re: RegExp, cb: (m: RegExpExecArray, span: Span, clause: Clause) => void): void {
  if (!mayMatchClauses(ctx.doc, re)) return;
  for (const clause of ctx.doc.clauses) matchesIn(ctx.doc, clause, re, cb);
}

/** The matches of a global regex in one clause, skipping those in code. */
function matchesIn(doc: PolicyDocument, clause: Clause, re: RegExp, cb: (m: RegExpExecArray, span: Span, clause: Clause) => void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(clause.text))) {
    if (m[0].length === 0) { re.lastIndex++; continue; }
    const start = clause.span.start + m.index;
    const span = { start, end: start + m[0].length };
    if (!spanInCode(doc, span)) cb(m, span, clause);
  }
}

/**
 * eachMatch() for a rule of the whole document whose every match holds `literal`. With a retained
 * Memo only the clauses where the literal occurs are read: they are found from the literal's
 * places in the text (kept from one analysis to the next and searched again only where the text
 * changed) by binary search, the clauses being in order and apart. The same clauses in the same
 * order as eachMatch(): a clause without the literal has no match.
 */
export function eachMatchWith(ctx: RuleContext, re: RegExp, literal: string, cb: (m: RegExpExecArray, span: Span, clause: Clause) => void): void {
  const doc = ctx.doc;
  if (!retaining() || !proseInOrder(doc)) { eachMatch(ctx, re, cb); return; }
  const clauses = doc.clauses;
  let last = -1;
  for (const p of literalPlaces(doc.text, literal)) {
    // The last clause starting at or before p: the only one that may hold it.
    const i = firstSpanAt(clauses, p + 1) - 1;
    if (i < 0 || i === last || p + literal.length > clauses[i].span.end) continue;
    last = i;
    matchesIn(doc, clauses[i], re, cb);
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
