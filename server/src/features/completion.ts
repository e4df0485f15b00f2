/** Completion of guideline term and role names (same data as hover). */
import type { Analysis } from '../engine/engine';
import type { Revision } from '../engine/model/types';
import type { Span } from '../engine/text';
import { fold } from '../engine/normalize';
import { inCode } from '../engine/model/document';
import { knowledge, type Knowledge } from '../knowledge';
import { roleHover, termHover } from './hover';

export interface CompletionEntry { label: string; kind: 'term' | 'role'; detail: string; documentation: string; replace: Span }

interface Name { folded: string; name: string; kind: 'term' | 'role'; id: string }
let names: Name[] | undefined;

function allNames(kb: Knowledge): Name[] {
  if (names) return names;
  const list: Name[] = [];
  for (const r of kb.roles) for (const n of [r.name, r.abbreviation, ...(r.aliases ?? [])]) if (n) list.push({ folded: fold(n), name: n, kind: 'role', id: r.id });
  for (const t of kb.terms) for (const n of [t.headword, ...(t.aliases ?? [])]) list.push({ folded: fold(n), name: n, kind: 'term', id: t.id });
  names = list.sort((a, b) => (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0));
  return names;
}

function withPrefix(list: Name[], prefix: string): Name[] {
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid].folded < prefix) lo = mid + 1; else hi = mid; }
  const out: Name[] = [];
  for (let i = lo; i < list.length && list[i].folded.startsWith(prefix) && out.length < 60; i++) out.push(list[i]);
  return out;
}

const STOP = /[\s\u3000、。，．,.「」『』（）()［］[\]【】：:；;！!？?・/／|*_`#>-]/;

export function completionAt(analysis: Analysis, offset: number): CompletionEntry[] {
  if (inCode(analysis.doc, offset)) return [];
  return completionFor(analysis.doc.text, offset, analysis.revision);
}

/** A code fence open at `offset`? (a cheap line scan, so completion needs no full analysis of the new text) */
export function inFence(text: string, offset: number): boolean {
  let open: string | undefined;
  for (const m of text.slice(0, offset).matchAll(/^ {0,3}(`{3,}|~{3,})/gm)) {
    if (!open) open = m[1][0];
    else if (m[1][0] === open) open = undefined;
  }
  return open !== undefined || /`[^`\n]*$/.test(text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset));
}

/** Completion on the current text of the line (typing must not wait for a re-analysis). */
export function completionFor(text: string, offset: number, revision: Revision): CompletionEntry[] {
  if (inFence(text, offset)) return [];
  const kb = knowledge();
  const list = allNames(kb);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let start = offset;
  while (start > lineStart && offset - start < 12 && !STOP.test(text[start - 1])) start--;
  // The longest typed suffix that begins some name.
  for (let s = start; s < offset; s++) {
    const typed = fold(text.slice(s, offset));
    const hits = withPrefix(list, typed);
    if (hits.length === 0) continue;
    const seen = new Set<string>();
    return hits.filter((h) => !seen.has(h.name) && seen.add(h.name)).map((h) => {
      const entry = h.kind === 'term' ? kb.termById.get(h.id)! : undefined;
      const role = h.kind === 'role' ? kb.roleById.get(h.id)! : undefined;
      return {
        label: h.name,
        kind: h.kind,
        detail: entry ? `用語: ${entry.headword}（${entry.reading}）` : `役職: ${role!.name}`,
        documentation: entry ? termHover(entry, revision, kb) : roleHover(role!, revision, kb),
        replace: { start: s, end: offset },
      };
    });
  }
  return [];
}
