/**
 * The document text folded unit by unit (NFKC + lower case, offsets kept), for searches that
 * ignore width and case (ＥＤＲ = EDR): the requirements check, term occurrences, 別表 lines.
 *
 * It is held in pieces of at most PIECE_SIZE units (8 K) that end at a line break, not as one string.
 * One string of a 1 MB document is ~0.7 MB: V8 places a string that large in its large-object
 * space, which only a full collection frees, and a new one was made at every keystroke. With
 * pieces, an edit folds and replaces the piece (or the few pieces) it touched; the others are
 * kept. Searches for words without a line break cannot miss a match across two pieces.
 */
import { AnalysisCache } from '../analysis-cache';
import { latest, retaining } from '../memo';
import { foldExact, foldUnits } from '../normalize';
import type { PolicyDocument } from './types';
import { firstAtOrAfter } from './search';

/** Largest piece (UTF-16 units) unless one line is longer: an edit folds ~8 K units again (~0.1 ms), and 16 KB stays far below V8's large-object size. */
const PIECE_SIZE = 8 * 1024;
/** More units that do not fold on their own than this (marks, jamo …): not listed, an edit folds the whole text again. */
const MAX_INEXACT = 4096;

/** Something to look for words in: a string, or a range of the folded document (FoldedDocument.range). */
export interface Searchable {
  includes(word: string): boolean;
}

export class FoldedDocument {
  /**
   * @param pieces the folded text, in order; each ends with a line break except the last
   * @param starts offset of each piece, then the text's length (pieces.length + 1 entries)
   * @param exact every unit folds on its own: fold() of any range is the same range of this text
   * @param inexact offsets of the units that do not fold on their own (undefined: too many to list)
   */
  constructor(readonly pieces: string[], readonly starts: number[], readonly exact: boolean, readonly inexact: number[] | undefined) {}

  /** Index of the piece that holds offset `at` (the last piece for the text's end). */
  pieceAt(at: number): number {
    // The last piece starting at or before `at`: the one before the first start after it.
    return Math.min(this.pieces.length - 1, firstAtOrAfter(this.starts, at + 1, (s) => s) - 1);
  }

  /** The folded text of [start, end). */
  slice(start: number, end: number): string {
    const i = this.pieceAt(start);
    if (end <= this.starts[i + 1]) return this.pieces[i].slice(start - this.starts[i], end - this.starts[i]);
    const parts: string[] = [];
    for (let k = i; k < this.pieces.length && this.starts[k] < end; k++) {
      parts.push(this.pieces[k].slice(Math.max(0, start - this.starts[k]), end - this.starts[k]));
    }
    return parts.join('');
  }

  /** [start, end) to search in: a string when it lies in one piece, else a view over the pieces. */
  range(start: number, end: number): Searchable {
    const i = this.pieceAt(start);
    if (end <= this.starts[i + 1]) return this.pieces[i].slice(start - this.starts[i], end - this.starts[i]);
    return new FoldedRange(this, start, end);
  }

  /** First offset ≥ from where `needle` occurs, or -1. */
  indexOf(needle: string, from = 0): number {
    if (needle.includes('\n')) return this.slice(0, this.length).indexOf(needle, from);
    for (let k = this.pieceAt(from); k < this.pieces.length; k++) {
      const base = this.starts[k];
      const i = this.pieces[k].indexOf(needle, Math.max(0, from - base));
      if (i >= 0) return base + i;
    }
    return -1;
  }

  /** Whether `word` occurs wholly inside [start, end). */
  includes(word: string, start: number, end: number): boolean {
    if (word.includes('\n')) return this.slice(start, end).includes(word);
    const last = end - word.length;
    for (let k = this.pieceAt(start); k < this.pieces.length && this.starts[k] <= last; k++) {
      const base = this.starts[k];
      const i = this.pieces[k].indexOf(word, Math.max(0, start - base));
      if (i >= 0) return base + i <= last;
    }
    return false;
  }

  get length(): number {
    return this.starts[this.starts.length - 1];
  }
}

/** A range of a folded document that spans pieces (FoldedDocument.range). */
class FoldedRange implements Searchable {
  constructor(private readonly doc: FoldedDocument, private readonly start: number, private readonly end: number) {}
  includes(word: string): boolean {
    return this.doc.includes(word, this.start, this.end);
  }
}

const foldedDocs = new AnalysisCache<PolicyDocument, FoldedDocument>();

/**
 * The document's folded text, computed once per document. Unit by unit, each unit's folded form
 * does not depend on its neighbours: after an edit (a Memo that outlives the analysis keeps the
 * previous result) only the pieces the edit touched are folded again. `pieceSize`: tests use small pieces.
 */
export function foldedDocument(doc: PolicyDocument, pieceSize = PIECE_SIZE): FoldedDocument {
  let f = foldedDocs.get(doc);
  if (!f) {
    const text = doc.text;
    f = latest<FoldedDocument>('folded-document', text, (old) => {
      if (!old || !old.value.inexact) return foldWhole(text, pieceSize);
      const { value, prefix, suffixStart, delta } = old;
      const before = old.value.inexact;
      // The pieces the edit touched, in the previous text: from the one holding `prefix` to the
      // one holding the suffix's first unit (a piece that starts there may no longer follow a
      // line break). Piece starts up to `prefix` and after the suffix's start still do.
      const first = value.pieceAt(prefix);
      const oldEnd = suffixStart - delta;
      const after = value.pieceAt(oldEnd) + 1;
      const from = value.starts[first];
      const to = value.starts[after] + delta;
      const inexact: number[] = [];
      for (const at of before) if (at < from) inexact.push(at);
      const pieces = value.pieces.slice(0, first);
      const starts = value.starts.slice(0, first);
      cut(text, from, to, pieceSize, pieces, starts, inexact);
      for (const at of before) if (at >= value.starts[after]) inexact.push(at + delta);
      if (inexact.length > MAX_INEXACT) return foldWhole(text, pieceSize);
      for (let k = after; k < value.pieces.length; k++) { pieces.push(value.pieces[k]); starts.push(value.starts[k] + delta); }
      if (pieces.length === 0) { pieces.push(''); starts.push(0); }
      starts.push(text.length);
      return new FoldedDocument(pieces, starts, inexact.length === 0, inexact);
    });
    foldedDocs.set(doc, f);
  }
  return f;
}

/** Folds text[from, to) into pieces that end at line breaks, appending them (and their offsets). */
function cut(text: string, from: number, to: number, size: number, pieces: string[], starts: number[], inexact: number[] | undefined): void {
  let at = from;
  while (at < to) {
    let end = to;
    if (to - at > size) {
      const nl = text.lastIndexOf('\n', at + size - 1);
      end = nl >= at ? nl + 1 : Math.min(to, (text.indexOf('\n', at + size) + 1) || to);
    }
    const part = text.slice(at, end);
    const exact = foldExact(part);
    pieces.push(exact ?? foldUnits(part, inexact ? { base: at, at: inexact } : undefined).folded);
    starts.push(at);
    at = end;
  }
}

function foldWhole(text: string, size: number): FoldedDocument {
  const pieces: string[] = [];
  const starts: number[] = [];
  const keep = retaining();
  const inexact: number[] = [];
  if (text.length === 0) return new FoldedDocument([''], [0, 0], true, keep ? inexact : undefined);
  cut(text, 0, text.length, size, pieces, starts, inexact);
  starts.push(text.length);
  return new FoldedDocument(pieces, starts, inexact.length === 0, keep && inexact.length <= MAX_INEXACT ? inexact : undefined);
}
