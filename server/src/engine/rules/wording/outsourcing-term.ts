/**
 * 「外部委託」 where the guideline says 「業務委託」 (令和4年3月版 onwards): municipalities asked
 * whether 外部委託 also covers using 外部サービス (意見8, 意見153, 質問53, 質問100, 質問103,
 * 質問104). Names of other documents and quotations keep their own wording.
 */
import type { Rule, RuleContext } from '../../types';
import type { Span } from '../../text';
import { occurs } from '../../memo';
import { headingTitles, insideQuotes, isDocumentTitle, replaceFix, spanInCode, textWithoutCode } from './util';

const TERM = /外部委託(事業者|業者|業務|先)?/g;
/** 外部委託 begins the name of another document (…要綱, …特記事項). */
const DOCUMENT_NAME = /^[^。、，,\s]{0,30}?(?:要綱|要領|規程|規則|条例|指針|ガイドライン|特記事項|仕様書|約款|基本方針)/;
/** The sentence cites a law or ordinance by article, so its words may be that law's. */
const CITES_LAW = /(?:法|法律|条例|政令|省令|規則)(?:\s|　)?第[0-9０-９一二三四五六七八九十百]+条/;
/** 外部委託 as a law's or another document's own term (「…条例に規定する外部委託」). */
const LAW_BEFORE = /(?:法|法律|条例|政令|省令|規則|要綱|要領|規程|基準)(?:第[^。、]{0,12}条[^。、]{0,8})?(?:に基づく|に基づき|による|に定める|に規定する|の規定による|で定める|が定める|にいう)$/;
/** The document defines its own meaning of 外部委託 (then it is a deliberate term). */
const OWN_DEFINITION = /「外部委託(?:事業者)?」(?:と(?:は|いう)|を)|外部委託(?:事業者)?[（(][^）)]{0,80}(?:いう|含む|含め|指す)[^）)]{0,20}[）)]/;

const REPLACEMENT: Record<string, string> = { '': '業務委託', '事業者': '委託事業者', '業者': '委託事業者', '業務': '委託業務', '先': '委託先' };

export const outsourcingTerm: Rule = {
  meta: {
    id: 'outsourcing-term',
    aliases: ['gyomu-itaku', 'LGP208'],
    title: '「外部委託」（ガイドラインの用語は「業務委託」）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['wording', 'outsourcing', 'revision'],
    guideline: ['8 業務委託と外部サービスの利用', '8.1 業務委託'],
    seeds: ['意見8', '意見153', '質問53', '質問100', '質問103', '質問104'],
  },
  check(ctx) {
    const doc = ctx.doc;
    if (doc.definitions.some((d) => d.term.includes('外部委託'))) return;
    // Without 外部委託 in the text no clause or heading holds it (blanking code adds no text): nothing
    // to find. (A retained Memo keeps its places from one analysis to the next: no search of the whole text.)
    if (!occurs(doc.text, '外部委託')) return;
    // Blanking code keeps the length and removes no other text.
    if (OWN_DEFINITION.test(textWithoutCode(doc, { start: 0, end: doc.text.length }))) return;

    const scan = (text: string, offset: number) => {
      // Every match holds 外部委託: most sentences are passed over without running the patterns.
      if (!text.includes('外部委託') || CITES_LAW.test(text)) return;
      TERM.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = TERM.exec(text))) {
        if (insideQuotes(text, m.index)) continue;
        if (DOCUMENT_NAME.test(text.slice(m.index + m[0].length))) continue;
        if (LAW_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
        const span: Span = { start: offset + m.index, end: offset + m.index + m[0].length };
        if (spanInCode(doc, span) || isDocumentTitle(ctx, span)) continue;
        report(ctx, span, m[0], REPLACEMENT[m[1] ?? '']);
      }
    };
    for (const clause of doc.clauses) scan(clause.text, clause.span.start);
    for (const h of headingTitles(ctx)) scan(h.text, h.span.start);
  },
};

function report(ctx: RuleContext, span: Span, found: string, replacement: string): void {
  const party = found !== '外部委託' && found !== '外部委託業務';
  const unclear = party
    ? `「${found}」は、業務委託の受託者だけを指すのか、クラウドなどの外部サービスの提供者まで含むのかが読み取れません。`
    : `「${found}」は、事業者に業務を任せる業務委託だけを指すのか、クラウドなどの外部サービスの利用まで含むのかが読み取れません。`;
  ctx.report({
    message: `${unclear}ガイドラインは令和4年3月版から「業務委託」と「外部サービスの利用」を分けて定めています。業務委託の意味であれば「${replacement}」と書き、両方を指すのであれば用語の定義でその範囲を定めてください。`,
    span,
    fixes: [replaceFix(`「${replacement}」に置き換える`, span, replacement, false)],
  });
}
