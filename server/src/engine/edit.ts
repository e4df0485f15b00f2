/** Building edits that respect the document's own layout (numbering style, bullets, line breaks). */
import type { PolicyDocument, OutlineNode } from './model/types';
import type { LineIndex } from './text';
import type { TextEdit } from './types';
import { formatMarker, type Marker } from './model/numbering';

const DEFAULT_CHILD: Marker = { style: 'circled', value: 1, path: [1], text: '①', fullWidth: true };

/**
 * An edit that appends a new numbered child item to `node`, continuing the
 * numbering style of its existing children (① → ④, (ア) → (エ), (1) → (3) …).
 */
export function appendChildItem(doc: PolicyDocument, lines: LineIndex, node: OutlineNode, body: string): TextEdit {
  const eol = lines.eol;
  const numbered = node.children.filter((c) => c.kind === 'item' && c.marker);
  const last = numbered[numbered.length - 1];
  const like = last?.marker ?? DEFAULT_CHILD;
  const marker = formatMarker(like, last ? like.value + 1 : 1);
  let prefix = '';
  let separator = '';
  let blankLine = false;
  if (last) {
    const lineStart = lines.lineStarts[lines.lineAt(last.lineSpan.start)];
    prefix = doc.text.slice(lineStart, last.lineSpan.start);
    const afterMarker = last.markerSpan ? doc.text.slice(last.markerSpan.end, last.titleSpan.start) : '';
    separator = afterMarker;
    const prev = numbered[numbered.length - 2];
    const between = prev ? doc.text.slice(prev.span.end, last.lineSpan.start) : doc.text.slice(node.lineSpan.end, last.lineSpan.start);
    blankLine = /\r?\n[ \t\u3000>]*\r?\n/.test(between);
  } else {
    const lineStart = lines.lineStarts[lines.lineAt(node.lineSpan.start)];
    const ownPrefix = doc.text.slice(lineStart, node.lineSpan.start);
    // Under a list item, nest one level deeper with the same bullet.
    const bullet = /^([ \t]*)([-*+]|\d+[.)])[ \t]+$/.exec(ownPrefix);
    prefix = bullet ? `${bullet[1]}  ${/\d/.test(bullet[2]) ? '-' : bullet[2]} ` : ownPrefix.replace(/[^\s>]/g, '');
    blankLine = node.kind === 'heading' || !bullet;
  }
  const end = node.span.end;
  const text = `${eol}${blankLine ? eol : ''}${prefix}${marker}${separator}${body.replace(/\r?\n/g, `${eol}${prefix.replace(/[^\s>]/g, ' ')}`)}`;
  return { span: { start: end, end }, newText: text };
}
