/**
 * Offset <-> LSP position mapping. Offsets are UTF-16 code unit indexes into the
 * original text (what JavaScript strings and remark positions use); LSP positions
 * are (line, UTF-16 character). Line breaks are CRLF, LF or a lone CR, as in LSP.
 */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
/** A half-open span [start, end) of UTF-16 offsets. */
export interface Span { start: number; end: number }

export class LineIndex {
  /** Offset of the first character of every line. */
  readonly lineStarts: number[];
  /** `starts`: the line starts, when already known (patched()). */
  constructor(readonly text: string, starts?: number[]) {
    if (starts) { this.lineStarts = starts; return; }
    starts = [0];
    if (!text.includes('\r')) {
      // Only \n ends lines: the native search is much faster than a loop over the characters.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10) {
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number { return this.lineStarts.length; }

  /** Line number (0-based) that contains offset. */
  lineAt(offset: number): number {
    const starts = this.lineStarts;
    if (offset <= 0) return 0;
    if (offset >= this.text.length) return starts.length - 1;
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(clamped);
    // An offset inside a CRLF pair maps to the end of the line's content.
    const character = Math.min(clamped - this.lineStarts[line], this.lineContentEnd(line) - this.lineStarts[line]);
    return { line, character };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    return Math.max(start, Math.min(start + Math.max(0, pos.character), this.lineContentEnd(pos.line)));
  }

  /** Offset just past the last content character of a line (before its line break). */
  lineContentEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineContentEnd(line));
  }

  range(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  private breaks?: { crlf: number; lf: number };
  /** The line break the document uses most (for inserted text). */
  get eol(): string {
    const b = (this.breaks ??= countBreaks(this.text, 0, this.text.length));
    return b.crlf > b.lf ? '\r\n' : '\n';
  }

  /**
   * The index of `text`, made from the index of the previous text and the edit between them
   * (text[0, prefix) and text[suffixStart, end) unchanged, `delta` characters longer): only the
   * lines the edit touched are scanned again (the language server, on every keystroke).
   */
  static patched(prev: LineIndex, text: string, edit: { prefix: number; suffixStart: number; delta: number }): LineIndex {
    const old = prev.lineStarts;
    const oldEnd = edit.suffixStart - edit.delta;
    // From the start of the line before the edit (a line start is never inside a CRLF pair) to the
    // first line start whose line break lies wholly after the edit.
    const first = prev.lineAt(Math.max(0, edit.prefix - 1));
    let last = first + 1;
    while (last < old.length && old[last] < oldEnd + 2) last++;
    const from = old[first];
    const to = last < old.length ? old[last] + edit.delta : text.length + 1;
    // The line starts inside the edited range, then one copy of the list with them in place of the
    // old ones (not a list grown by every line: this runs on every keystroke).
    const made: number[] = [];
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (i + 1 >= to) break;
      made.push(i + 1);
    }
    const starts = spliced(old, first + 1, last - first - 1, made);
    if (edit.delta !== 0) for (let k = first + 1 + made.length; k < starts.length; k++) starts[k] += edit.delta;
    const index = new LineIndex(text, starts);
    if (prev.breaks) {
      const before = countBreaks(prev.text, from, last < old.length ? old[last] : prev.text.length);
      const after = countBreaks(text, from, last < old.length ? to : text.length);
      index.breaks = { crlf: prev.breaks.crlf - before.crlf + after.crlf, lf: prev.breaks.lf - before.lf + after.lf };
    }
    return index;
  }
}

/** Line feeds in text[from, to), preceded by a CR or not. */
function countBreaks(text: string, from: number, to: number): { crlf: number; lf: number } {
  let crlf = 0, lf = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++; else lf++;
  }
  return { crlf, lf };
}

/** Items passed as arguments at most (a spread of many more could exhaust the stack). */
const SPREAD_MAX = 4096;

/**
 * A new list: `list` with its `count` items from `start` replaced by `items`, in one native copy
 * (Array.prototype.toSpliced, ES2023: Node.js 20) rather than slices and their concatenation. Used
 * for the lists made again after every edit, whose copies filled the young generation. Many items
 * (a large paste) go through slices: they are not spread as arguments.
 */
export function spliced<T>(list: readonly T[], start: number, count: number, items: T[]): T[] {
  if (items.length <= SPREAD_MAX) return (list as unknown as { toSpliced(start: number, count: number, ...items: T[]): T[] }).toSpliced(start, count, ...items);
  return list.slice(0, start).concat(items, list.slice(start + count));
}
