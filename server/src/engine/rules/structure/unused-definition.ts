/**
 * Terms the document defines but never uses (意見151, 意見155, 質問6: a definition left behind
 * after the provisions that used it were removed).
 */
import type { Fix, Rule } from '../../types';
import type { Definition, PolicyDocument } from '../../model/types';
import type { Span } from '../../text';
import { clauseRuns, definitionForms, FoldedText, isIgnored, isPartial, nodeOfDefinition } from './support';

/** The text that belongs to the definition itself (its row, item or sentence) — a use there does not count. */
function ownSpans(doc: PolicyDocument, def: Definition): Span[] {
  if (def.kind === 'table') {
    const table = doc.tables.find((t) => t.span.start <= def.span.start && def.span.end <= t.span.end);
    const row = table?.rows.find((r) => r.span.start <= def.span.start && def.span.end <= r.span.end);
    return [row?.span ?? def.span];
  }
  if (def.kind === 'item') {
    const node = nodeOfDefinition(doc, def);
    return [node ? { start: node.lineSpan.start, end: node.span.end } : def.span];
  }
  if (def.kind === 'quoted') {
    const clause = doc.clauses.find((c) => c.span.start <= def.span.start && def.span.end <= c.span.end);
    return [clause?.span ?? def.span];
  }
  return [def.span];
}

/** A document that defines terms for a whole family of documents (a 基本方針 whose definitions the 対策基準 uses). */
function definesForOtherDocuments(doc: PolicyDocument): boolean {
  const title = doc.metadata.title ?? '';
  if (/基本方針/.test(title) && !/対策基準|規程|規則|要綱|要領/.test(title.replace(/基本方針/g, ''))) return true;
  // Cached by runs of clause texts for the language server.
  return clauseRuns(doc, 'unused-definition', (texts) => texts.some(definesForOthersIn)).some((r) => r.value);
}

/** One clause says the definitions serve other documents as well. */
function definesForOthersIn(text: string): boolean {
  // The patterns need において or に基づく: substring searches rule most clauses out before the regexes.
  return (text.includes('において') || text.includes('に基づく')) && (/(?:対策基準|実施手順|規程|要綱|要領|規則|ポリシー)(?:及び|並びに|、)?[^。]{0,20}において(?:使用する|用いる)用語/.test(text)
    || /この(?:規程|方針|規則|要綱)に基づく[^。]{0,20}(?:基準|手順|要領)[^。]{0,10}(?:においても|でも)/.test(text));
}

export const unusedDefinition: Rule = {
  meta: {
    id: 'unused-definition',
    aliases: ['unused-term', 'LGP402'],
    title: '使われていない定義語',
    defaultSeverity: 'info',
    fixable: true,
    scope: 'document',
    tags: ['structure', 'definitions'],
    guideline: ['基本方針 2 定義', 'ガイドライン巻末の用語の定義'],
    seeds: ['意見151', '意見155', '質問6'],
  },
  check(ctx) {
    const { doc } = ctx;
    if (isPartial(doc) || definesForOtherDocuments(doc)) return;
    const text = new FoldedText(doc);
    const seen = new Set<string>();
    const allForms = definitionForms(doc);
    doc.definitions.forEach((def, k) => {
      const forms = allForms[k].filter((f) => [...f].length >= 2);
      if (forms.length === 0 || seen.has(def.term)) return;
      seen.add(def.term);
      const own = ownSpans(doc, def);
      const used = forms.some((form) => text.some(form, (at) => !own.some((s) => at >= s.start && at < s.end) && !isIgnored(doc, at)));
      if (used) return;
      const fixes: Fix[] = [];
      if (def.kind === 'table') {
        const row = own[0];
        // Remove the row together with its line break.
        const lineStart = ctx.lines.lineStarts[ctx.lines.lineAt(row.start)];
        const nextLine = ctx.lines.lineAt(row.end) + 1;
        const end = nextLine < ctx.lines.lineCount ? ctx.lines.lineStarts[nextLine] : row.end;
        fixes.push({ title: `表から「${def.term}」の行を削除する`, edits: [{ span: { start: lineStart, end }, newText: '' }], safe: false });
      }
      ctx.report({
        message: `「${def.term}」を定義していますが、この文書のほかの箇所では使われていません。改定で条文を削ったあとに定義だけが残ると、読み手はどこに関係する語なのか迷います。不要なら定義を削除し、必要な語なら本文で使っているか（表記が定義と同じか）を確かめてください。`,
        span: def.span,
        fixes,
        data: { term: def.term },
      });
    });
  },
};

