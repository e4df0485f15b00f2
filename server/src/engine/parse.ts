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

const CONTAINER = /[ \t]{0,3}(?:>|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$))[ \t]?/y;

/**
 * Replaces container markers (> - * + 1.) beyond MAX_NESTING on a line with spaces, so that
 * 10,000 nested block quotes or list items cannot exhaust the parser's stack. Same length:
 * every offset still points at the same character of the original text.
 */
export function limitNesting(text: string): string {
  let out: string[] | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let depth = 0;
    let pos = lineStart;
    let cut = -1;
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
