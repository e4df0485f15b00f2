/**
 * Flattens the mdast into the source lines the outline is built from, plus the
 * tables, comments and code spans rules need. Positions are source offsets.
 */
import type { Root, RootContent, ListItem, Table, PhrasingContent } from 'mdast';
import type { Span } from '../text';
import type { CommentInfo } from './types';
import type { MarkerMatch } from './numbering';
import type { SentenceInfo } from './clauses';
import { retaining } from '../memo';

export interface SourceLine {
  kind: 'heading' | 'line';
  headingDepth: number;
  /** Offset where the line's text starts (after indentation, quote markers, bullets). */
  start: number;
  end: number;
  text: string;
  /** First line of an ordered list item whose bullet is part of `text`. */
  orderedBullet: boolean;
  /**
   * What the model derives from this line alone (its numbering marker, its sentences). The line
   * object belongs to its block's cached parse, so after an edit the lines of unchanged blocks
   * bring these along without a lookup.
   */
  cache?: LineCache;
}

/** A line's cache, when the active Memo outlives the analysis (a one-shot analysis reads each line once). */
function lineCache(): LineCache | undefined {
  return retaining() ? {} : undefined;
}

export interface LineCache {
  marker?: MarkerMatch | null;
  /** Sentences of the line as a segment of its node, and of its title after the marker. */
  line?: SegmentCache;
  title?: SegmentCache;
}

export interface SegmentCache { sentences?: SentenceInfo[] }

export interface RawTable { span: Span; rows: { span: Span; cells: { text: string; span: Span }[] }[]; afterLine: number }

export interface Extracted {
  lines: SourceLine[];
  tables: RawTable[];
  comments: CommentInfo[];
  codeSpans: Span[];
  /** Other blocks (code, html, thematic breaks) that extend the current section. */
  blocks: { span: Span; afterLine: number }[];
  frontMatter?: { value: string; span: Span };
}

/**
 * Where the content of the line starting at `pos` ends: at the first \n or \r, else at `end`
 * (`hasCR` false: the text has no \r, and the native search finds \n much faster than a loop
 * over the characters, which matters before the optimising compiler has run).
 */
export function lineEnd(text: string, pos: number, hasCR: boolean, end = text.length): number {
  if (!hasCR) {
    const nl = text.indexOf('\n', pos);
    return nl < 0 || nl > end ? end : nl;
  }
  let nl = pos;
  while (nl < end) {
    const c = text.charCodeAt(nl);
    if (c === 10 || c === 13) break;
    nl++;
  }
  return nl;
}

/** Where the next line starts after a line whose content ends at `nl` (after \n, \r\n or \r). Two numbers, not an object per line. */
export function nextLine(text: string, nl: number): number {
  return nl >= text.length ? text.length : text.charCodeAt(nl) === 13 && text.charCodeAt(nl + 1) === 10 ? nl + 2 : nl + 1;
}

/** Space, tab or ideographic space: what is trimmed around a line. */
function isLineSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0x3000;
}

/** Past the spaces, tabs and ideographic spaces at `i` (not beyond `end`). */
function skipSpace(text: string, i: number, end: number): number {
  while (i < end && isLineSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Code in a list item that the container ends is closed before or after the blank lines that
 * follow, depending on what comes next; keep at most one line break after its last character
 * so that the span does not depend on the rest of the document.
 */
function withoutBlankTail(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  if (e === end) return end;
  if (text[e] === '\r' && text[e + 1] === '\n') e += 2;
  else if (text[e] === '\n' || text[e] === '\r') e += 1;
  else while (e < end && (text[e] === ' ' || text[e] === '\t')) e++;
  return Math.min(e, end);
}

export function extractLines(text: string, root: Root): Extracted {
  const out: Extracted = { lines: [], tables: [], comments: [], codeSpans: [], blocks: [] };

  // Without \r, line ends are found by the native search (faster than a loop in a cold process).
  const hasCR = text.includes('\r');
  // Char-code loops, not regexes on sliced lines: this runs for every line of a cold analysis.
  const pushTextLines = (start: number, end: number, firstLineStart?: number, orderedBullet = false) => {
    let lineStart = firstLineStart ?? start;
    let first = true;
    while (lineStart <= end) {
      const stop = lineEnd(text, lineStart, hasCR, end);
      // Leading white space; after the first line also block quote markers (> with the spaces around them).
      let s = skipSpace(text, lineStart, stop);
      if (!first) while (s < stop && text.charCodeAt(s) === 0x3e /* > */) s = skipSpace(text, s + 1, stop);
      let e = stop;
      while (e > s && isLineSpace(text.charCodeAt(e - 1))) e--;
      if (e > s) out.lines.push({ kind: 'line', headingDepth: 0, start: s, end: e, text: text.slice(s, e), orderedBullet: first && orderedBullet, cache: lineCache() });
      first = false;
      if (stop >= end) break;
      lineStart = nextLine(text, stop);
    }
  };

  const scanInline = (nodes: PhrasingContent[]) => {
    for (const n of nodes) {
      const p = n.position;
      if (!p) continue;
      if (n.type === 'inlineCode') out.codeSpans.push({ start: p.start.offset!, end: p.end.offset! });
      else if (n.type === 'html') addHtml(n.value, p.start.offset!, p.end.offset!);
      else if ('children' in n) scanInline(n.children as PhrasingContent[]);
    }
  };

  const addHtml = (value: string, start: number, end: number) => {
    const re = /<!--([\s\S]*?)-->/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(value))) {
      out.comments.push({ text: m[1].trim(), span: { start: start + m.index, end: start + m.index + m[0].length } });
    }
    // Comments are not content: they must not stretch the preceding item over a caption that follows.
    if (value.replace(re, '').trim()) out.blocks.push({ span: { start, end }, afterLine: out.lines.length });
  };

  const visitListItem = (item: ListItem, ordered: boolean) => {
    const children = item.children;
    children.forEach((child, i) => {
      if (i === 0 && child.type === 'paragraph' && child.position && item.position) {
        const pStart = child.position.start.offset!;
        const pEnd = child.position.end.offset!;
        if (ordered) pushTextLines(pStart, pEnd, item.position.start.offset!, true);
        else pushTextLines(pStart, pEnd);
        scanInline(child.children);
      } else {
        visit(child);
      }
    });
  };

  const visit = (node: RootContent) => {
    const p = node.position;
    if (!p) return;
    const start = p.start.offset!;
    const end = p.end.offset!;
    switch (node.type) {
      case 'yaml':
        if (!out.frontMatter) out.frontMatter = { value: node.value, span: { start, end } };
        return;
      case 'heading': {
        let s = start;
        const raw = text.slice(start, end);
        const atx = /^[ \t]*#{1,6}[ \t]*/.exec(raw);
        let e = end;
        if (atx) {
          s = start + atx[0].length;
          const closing = /[ \t]+#+[ \t]*$|^#+[ \t]*$/.exec(text.slice(s, e));
          if (closing) e = s + closing.index;
        } else {
          // setext heading: the text lines before the underline
          const nl = raw.search(/\r?\n[ \t]*(=+|-+)[ \t]*$/);
          if (nl >= 0) e = start + nl;
        }
        while (e > s && isLineSpace(text.charCodeAt(e - 1))) e--;
        while (s < e && isLineSpace(text.charCodeAt(s))) s++;
        out.lines.push({ kind: 'heading', headingDepth: node.depth, start: s, end: e, text: text.slice(s, e).replace(/\r?\n|\r/g, ' '), orderedBullet: false, cache: lineCache() });
        scanInline(node.children);
        return;
      }
      case 'paragraph':
        pushTextLines(start, end);
        scanInline(node.children);
        return;
      case 'list':
        for (const item of node.children) visitListItem(item, node.ordered === true);
        return;
      case 'blockquote':
        for (const c of node.children) visit(c);
        return;
      case 'table':
        addTable(node, start, end);
        return;
      case 'code': {
        const e = withoutBlankTail(text, start, end);
        out.codeSpans.push({ start, end: e });
        out.blocks.push({ span: { start, end: e }, afterLine: out.lines.length });
        return;
      }
      case 'html':
        addHtml(node.value, start, withoutBlankTail(text, start, end));
        return;
      default:
        if ('children' in node && Array.isArray(node.children)) {
          for (const c of node.children as RootContent[]) visit(c);
        } else {
          out.blocks.push({ span: { start, end }, afterLine: out.lines.length });
        }
    }
  };

  const addTable = (node: Table, start: number, end: number) => {
    const rows = node.children.map((row) => ({
      span: { start: row.position!.start.offset!, end: row.position!.end.offset! },
      cells: row.children.map((cell) => {
        let s = cell.position!.start.offset!;
        let e = cell.position!.end.offset!;
        // cell positions include the pipes and padding in some cases: trim them
        while (s < e && /[|\s\u3000]/.test(text[s])) s++;
        while (e > s && /[|\s\u3000]/.test(text[e - 1])) e--;
        scanInline(cell.children);
        return { text: text.slice(s, e), span: { start: s, end: e } };
      }),
    }));
    out.tables.push({ span: { start, end }, rows, afterLine: out.lines.length });
  };

  for (const child of root.children) visit(child);
  // Kept with the block: lists of their own length (push() on an empty list reserves 17 places).
  out.lines = out.lines.slice();
  return out;
}
