/** Terms the document defines: a 用語の定義 section or table, 定義 articles, and inline 「以下「X」という。」 forms. */
import type { Clause, Definition, OutlineNode, TableInfo } from './types';
import type { SentenceInfo } from './clauses';
import { firstSpanAt } from './search';

const DEF_SECTION = /定義|用語/;
const INLINE = /以下[、,]?「([^「」]{1,30})」(?:又は「([^「」]{1,30})」)?という/g;
const QUOTED = /「([^「」]{1,30})」とは[、,]?/g;
const ITEM_TERM = /^「?([^\s\u3000「」：:、。]{1,30})」?(?:[\s\u3000]+|[：:]|とは[、,]?)(.+)$/;

/** The node itself names a definition section (用語の定義, （定義）). */
const namesDefinitions = (n: OutlineNode) => captionNamesDefinitions(n.caption) || (n.kind === 'heading' && DEF_SECTION.test(n.title));

/** An article's caption that makes it a definitions section (（定義）, （用語の意義）). */
export function captionNamesDefinitions(caption: string | undefined): boolean {
  return caption !== undefined && DEF_SECTION.test(caption);
}

/** A term a sentence defines: its offset in the sentence and the form. */
export interface TermMatch { term: string; at: number; kind: 'inline' | 'quoted' }
const NO_TERMS: TermMatch[] = [];

const TERM_PATTERNS = [INLINE, QUOTED];

/** The terms a sentence defines inline (「以下「X」という。」, 「X」とは), in the order they are added. */
function sentenceTerms(text: string): TermMatch[] {
  // Both forms quote the term: most sentences hold neither.
  if (!text.includes('」')) return NO_TERMS;
  let out: TermMatch[] | undefined;
  // Index loops over constant lists (no array or iterator per sentence).
  for (let r = 0; r < TERM_PATTERNS.length; r++) {
    const re = TERM_PATTERNS[r];
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      for (let g = 1; g <= 2; g++) {
        const term = m[g];
        if (!term) continue;
        const at = text.indexOf(`「${term}」`, m.index) + 1;
        (out ??= []).push({ term, at, kind: re === INLINE ? 'inline' : 'quoted' });
      }
    }
  }
  return out ?? NO_TERMS;
}

/** `infos[i]`: the cached sentence of clauses[i], if any (see buildClauses). */
export function buildDefinitions(nodes: OutlineNode[], clauses: Clause[], tables: TableInfo[], infos?: (SentenceInfo | undefined)[]): Definition[] {
  const defs = definitionsIn(nodes, 0, nodes.length, clauses, tables, infos);
  return defs.sort((a, b) => a.span.start - b.span.start);
}

/**
 * The definitions made by the tables, the nodes [from, to) and the clauses given, in the order
 * they are found (tables, items, clauses; the first one found at an offset wins).
 */
function definitionsIn(nodes: OutlineNode[], from: number, to: number, clauses: Clause[], tables: TableInfo[], infos?: (SentenceInfo | undefined)[]): Definition[] {
  // The node or one of its ancestors names a definition section (each node decided once; ids are
  // the nodes' indexes + 1, parents come first).
  const known: (boolean | undefined)[] = [];
  const isDefinitionSection = (node: OutlineNode): boolean => {
    let v = known[node.id];
    if (v === undefined) {
      v = namesDefinitions(node) || (!!node.parent && node.parent.kind !== 'root' && isDefinitionSection(node.parent));
      known[node.id] = v;
    }
    return v;
  };
  const defs: Definition[] = [];
  const seen = new Set<number>();
  const add = (d: Definition) => {
    if (seen.has(d.span.start)) return;
    seen.add(d.span.start);
    defs.push(d);
  };

  for (const table of tables) {
    const header = table.rows[0]?.cells.map((c) => c.text).join(' ') ?? '';
    if (!isDefinitionSection(table.node) && !/用語|語句|名称/.test(header)) continue;
    for (const row of table.rows.slice(1)) {
      const [termCell, ...rest] = row.cells;
      if (!termCell || !termCell.text) continue;
      const m = /^(?:[（(]?[0-9０-９]+[）)]|\d+\.)?[\s\u3000]*「?([^「」]+?)」?$/.exec(termCell.text);
      const term = m ? m[1].trim() : termCell.text;
      if (!term || term.length > 40) continue;
      const offset = termCell.span.start + termCell.text.indexOf(term);
      add({ term, span: { start: offset, end: offset + term.length }, text: rest.map((c) => c.text).join(' '), kind: 'table' });
    }
  }

  for (let i = from; i < to; i++) {
    const node = nodes[i];
    if (node.kind !== 'item' || !isDefinitionSection(node)) continue;
    // Skip the 定義 article itself; its numbered children hold the terms.
    if (node.marker?.style === 'article' || node.marker?.style === 'paragraph') continue;
    const m = ITEM_TERM.exec(node.title);
    if (!m) continue;
    const term = m[1];
    const offset = node.titleSpan.start + node.title.indexOf(term);
    add({ term, span: { start: offset, end: offset + term.length }, text: m[2], kind: 'item' });
  }

  for (let i = 0; i < clauses.length; i++) {
    const clause = clauses[i];
    const info = infos?.[i];
    const terms = info ? (info.terms ??= sentenceTerms(info.text)) : sentenceTerms(clause.text);
    if (terms.length === 0) continue;
    for (const t of terms) {
      const at = clause.span.start + t.at;
      add({ term: t.term, span: { start: at, end: at + t.term.length }, text: clause.text, kind: t.kind });
    }
  }
  return defs;
}

/**
 * The definitions after an edit that changed one block [start, oldEnd) into [start, end) without
 * changing the outline or the title of a heading (patch.ts): `defs` (sorted, before the edit)
 * without those in the block, the later ones moved (in place), and those of the block's tables,
 * nodes [from, to) and clauses. Definitions found in different places never share an offset: the
 * block's own can be found on their own.
 */
export function patchDefinitions(defs: Definition[], edit: { start: number; oldEnd: number; delta: number }, nodes: OutlineNode[], from: number, to: number, clauses: Clause[], tables: TableInfo[], infos?: (SentenceInfo | undefined)[]): void {
  const i0 = firstSpanAt(defs, edit.start), i1 = firstSpanAt(defs, edit.oldEnd);
  if (edit.delta !== 0) for (let i = i1; i < defs.length; i++) { defs[i].span.start += edit.delta; defs[i].span.end += edit.delta; }
  const made = clauses.length === 0 && tables.length === 0 && from === to ? [] : definitionsIn(nodes, from, to, clauses, tables, infos).sort((a, b) => a.span.start - b.span.start);
  if (i1 > i0 || made.length > 0) defs.splice(i0, i1 - i0, ...made);
}

