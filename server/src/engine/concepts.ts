/** Presence expressions of the requirements data: "A|B + C|D" = (A or B) and (C or D). */
import { fold } from './normalize';
import type { Searchable } from './model/folded';

export type Expression = string[][];

const cache = new Map<string, Expression>();

function compileExpression(source: string): Expression {
  let e = cache.get(source);
  if (!e) {
    e = source.split('+').map((g) => g.split('|').map((w) => fold(w.trim())).filter(Boolean)).filter((g) => g.length > 0);
    cache.set(source, e);
  }
  return e;
}

/** Every group has a word in the text (an expression without groups matches). The text must already be folded with fold() (a string, or a range of the folded document). */
function matchesCompiled(foldedText: Searchable, groups: Expression): boolean {
  // Plain loops: the requirements check makes thousands of calls on a long document.
  for (let g = 0; g < groups.length; g++) {
    const words = groups[g];
    let w = 0;
    while (w < words.length && !foldedText.includes(words[w])) w++;
    if (w === words.length) return false;
  }
  return true;
}

/**
 * Whether any of the expressions matches. Each list (the knowledge base keeps its lists) is
 * compiled once and kept with it: no lookup of every expression's source at every call.
 */
export function matchesAny(foldedText: Searchable, sources: string[]): boolean {
  let list = compiledLists.get(sources);
  if (!list) { list = sources.map(compileExpression); compiledLists.set(sources, list); }
  for (let i = 0; i < list.length; i++) if (matchesCompiled(foldedText, list[i])) return true;
  return false;
}
const compiledLists = new WeakMap<string[], Expression[]>();
