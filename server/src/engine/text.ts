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
  constructor(readonly text: string) {
    const starts = [0];
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

  private eolCache?: string;
  /** The line break the document uses most (for inserted text). */
  get eol(): string {
    if (this.eolCache === undefined) {
      let crlf = 0, lf = 0;
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) {
        if (i > 0 && this.text.charCodeAt(i - 1) === 13) crlf++; else lf++;
      }
      this.eolCache = crlf > lf ? '\r\n' : '\n';
    }
    return this.eolCache;
  }
}
