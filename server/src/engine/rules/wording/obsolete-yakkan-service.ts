/**
 * 「約款による外部サービス」: a category of the older guideline, merged into 外部サービス from
 * the 令和4年3月版 (意見151, 意見155, 質問6 asked why the leftover definition was still there).
 */
import type { Rule, RuleContext } from '../../types';
import type { Span } from '../../text';
import { headingTitles, mayMatchClauses, replaceFix, spanInCode } from './util';

const TERM = /約款(?:等)?(?:による|に基づく|に基づいた|型の?)(?:外部|クラウド)サービス/g;
/** The text talks about the old category as history (「従来の…」「…は外部サービスに統合された」). */
const HISTORY_BEFORE = /(?:従来|旧来|旧|かつて|以前|改正前|改定前)の?[「『]?$/;
const HISTORY = /統合|廃止|旧区分|改め(?:られ|た)|なくな/;

export const obsoleteYakkanService: Rule = {
  meta: {
    id: 'obsolete-yakkan-service',
    aliases: ['no-yakkan-external-service', 'LGP207'],
    title: '「約款による外部サービス」（令和4年3月版で外部サービスに統合）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording', 'external-service', 'revision'],
    guideline: ['8 業務委託と外部サービスの利用', '用語の定義（約款による外部サービス）'],
    seeds: ['意見151', '意見155', '質問6'],
  },
  check(ctx) {
    // Not in the document's text at all (a one-shot analysis): in no clause, and in no table cell
    // (a slice of the text) or heading (code blanked with spaces, which TERM cannot match) either.
    if (!mayMatchClauses(ctx.doc, TERM)) return;
    const scan = (text: string, offset: number) => {
      TERM.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = TERM.exec(text))) {
        if (HISTORY_BEFORE.test(text.slice(Math.max(0, m.index - 8), m.index)) || HISTORY.test(text)) continue;
        const span: Span = { start: offset + m.index, end: offset + m.index + m[0].length };
        if (!spanInCode(ctx.doc, span)) report(ctx, span, m[0]);
      }
    };
    for (const clause of ctx.doc.clauses) scan(clause.text, clause.span.start);
    for (const h of headingTitles(ctx)) scan(h.text, h.span.start);
    // Definition tables (用語の定義) are where the leftover entry was found.
    for (const table of ctx.doc.tables) for (const row of table.rows) for (const cell of row.cells) scan(cell.text, cell.span.start);
  },
};

function report(ctx: RuleContext, span: Span, found: string): void {
  const newer = ctx.revision === 'R6.10' || ctx.revision === 'R7.3';
  const where = newer
    ? '8.3（自治体機密性2以上の情報を取り扱う場合）と8.4（取り扱わない場合）'
    : '8.2（機密性2以上の情報を取り扱う場合）と8.3（取り扱わない場合）';
  ctx.report({
    message: `「${found}」という区分は令和4年3月版で「外部サービス」にまとめられ、今のガイドラインにはありません。約款への同意だけで使うサービスも外部サービスとして扱い、${newer ? '自治体' : ''}機密性2以上の情報を取り扱うかどうかで${where}のどちらの規定に従うかを決めます。「外部サービス」と書き、機密性2以上の情報を扱わない前提のサービスであればその条件も書いてください。`,
    span,
    fixes: [replaceFix('「外部サービス」に置き換える', span, '外部サービス', false)],
  });
}
