/** Helpers shared by text rules. */
import type { Clause } from '../model/types';
import type { RuleContext } from '../types';
import type { Span } from '../text';

/** Runs `re` (global) over every clause; `cb` gets the match and its source span. */
export function scanClauses(ctx: RuleContext, re: RegExp, cb: (m: RegExpExecArray, span: Span, clause: Clause) => void): void {
  for (const clause of ctx.doc.clauses) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(clause.text))) {
      const start = clause.span.start + m.index;
      cb(m, { start, end: start + m[0].length }, clause);
      if (m[0].length === 0) re.lastIndex++;
    }
  }
}

/** Text of the whole clause's outline item (the item and its descendants) — for "unless the clause also says …" checks. */
export function itemText(ctx: RuleContext, clause: Clause): string {
  return ctx.doc.text.slice(clause.node.span.start, clause.node.span.end);
}
