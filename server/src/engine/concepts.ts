/** Presence expressions of the requirements data: "A|B + C|D" = (A or B) and (C or D). */
import { fold } from './normalize';

export type Expression = string[][];

const cache = new Map<string, Expression>();

export function compileExpression(source: string): Expression {
  let e = cache.get(source);
  if (!e) {
    e = source.split('+').map((g) => g.split('|').map((w) => fold(w.trim())).filter(Boolean)).filter((g) => g.length > 0);
    cache.set(source, e);
  }
  return e;
}

/** `text` must already be folded with fold(). */
export function matchesExpression(foldedText: string, source: string): boolean {
  return compileExpression(source).every((group) => group.some((w) => foldedText.includes(w)));
}

export function matchesAny(foldedText: string, sources: string[]): boolean {
  return sources.some((s) => matchesExpression(foldedText, s));
}
