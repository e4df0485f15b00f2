/** Markdown → mdast with GFM tables and YAML front matter (remark). */
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import type { Root } from 'mdast';

const processor = remark().use(remarkGfm).use(remarkFrontmatter, ['yaml']);
/** For text that does not open the document: `---` there is a thematic break, never front matter. */
const bodyProcessor = remark().use(remarkGfm);

/** Deeper container nesting than this is never meaningful in a policy; the parser recurses per level. */
export const MAX_NESTING = 32;
/** Indentation (columns) read as Markdown indentation; deeper is text. Enough for MAX_NESTING list levels. */
export const MAX_INDENT = 4 * MAX_NESTING;

const CONTAINER = /[ \t]{0,3}(?:>|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$))[ \t]?/y;

/**
 * Replaces container markers (> - * + 1.) beyond MAX_NESTING on a line, and on a line indented
 * more than MAX_INDENT columns, with spaces, so that 10,000 nested block quotes or list items
 * cannot exhaust the parser's stack or time. Same length: every offset still points at the same
 * character of the original text.
 */
export function limitNesting(text: string): string {
  let out: string[] | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let depth = 0;
    let pos = lineStart;
    let cut = -1;
    // Nesting by indentation (a list item indented under the previous one, line after line):
    // past MAX_INDENT columns a line opens no further container.
    let col = 0;
    let indentCut = -1;
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) {
      col += text[pos] === '\t' ? 4 - (col % 4) : 1;
      pos++;
      if (indentCut < 0 && col > MAX_INDENT) indentCut = pos - 1;
    }
    if (indentCut >= 0) {
      // The indentation past MAX_INDENT becomes ideographic spaces: text, not Markdown indentation.
      out ??= [text.slice(0, lineStart)];
      out.push(text.slice(lineStart, indentCut), '\u3000'.repeat(pos - indentCut));
      const nl = text.indexOf('\n', pos);
      const end = nl === -1 ? text.length : nl + 1;
      out.push(text.slice(pos, end));
      if (nl === -1) break;
      lineStart = end;
      continue;
    }
    pos = lineStart;
    for (;;) {
      CONTAINER.lastIndex = pos;
      const m = CONTAINER.exec(text);
      if (!m || m[0].length === 0) break;
      depth++;
      pos += m[0].length;
      if (depth === MAX_NESTING) cut = pos;
    }
    if (cut >= 0 && depth > MAX_NESTING) {
      out ??= [text.slice(0, lineStart)];
      out.push(text.slice(lineStart, cut), ' '.repeat(pos - cut));
    } else if (out) {
      out.push(text.slice(lineStart, pos));
    }
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    if (out) out.push(text.slice(pos, end));
    if (nl === -1) break;
    lineStart = end;
  }
  return out ? out.join('') : text;
}

/** Front matter that is closed (`---` … `---`); an open one is not front matter at all. */
export const FRONT_MATTER = /^---[ \t]*(?:\r\n|\r|\n)(?:[^]*?(?:\r\n|\r|\n))??---[ \t]*(?:\r\n|\r|\n|$)/;

export function parseMarkdown(text: string, options: { frontMatter?: boolean } = {}): Root {
  // remark-frontmatter tried on an unclosed `---` leaves the parser in a state where later ordered
  // lists (2. …) read as paragraphs, so the extension is used only when the front matter is closed.
  const fm = options.frontMatter !== false && FRONT_MATTER.test(text);
  return (fm ? processor : bodyProcessor).parse(limitNesting(text)) as Root;
}
