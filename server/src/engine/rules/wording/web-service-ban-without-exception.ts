/**
 * A blanket ban on web mail and online storage (意見69, 意見133, 質問4): without an exception for
 * services the organisation has approved, it contradicts the 外部サービス sections, under which
 * such services may be approved and used.
 */
import type { Rule } from '../../types';
import { clauseSpan, itemText, mayMatchClauses, spanInCode } from './util';

const SERVICE = /(?:ウェブ|Web|WEB|ｗｅｂ|ＷＥＢ|インターネット)(?:上)?で(?:利用|使用)(?:できる|可能な)(?:電子)?メール(?:サービス)?|ウェブメール|Webメール|WEBメール|(?:オンライン|ネットワーク|クラウド|インターネット)ストレージ(?:サービス)?|ストレージサービス|ファイル(?:共有|転送|交換)サービス/;
const BAN = /(?:使用|利用)(?:して?は(?:ならない|いけない)|(?:を|は)?禁(?:止|ずる|じる)|しない(?:こと|ものとする)?(?:。)?$|(?:を|は)?認めない|させてはならない)|禁止(?:する|とする)/;
/** An exception or a narrowing is already written (approved services, private use only …). */
const EXCEPTION = /除き|除く|除いて|ただし|但し|この限りでない|(?:許可|承認|認め|指定|定め|認可|登録|選定)(?:を受け|られ|され|した|た|て)|私的|私用|個人(?:で|が|の|用|名義)|業務外|業務以外|業務に関係の?ない|無料|無償|外部サービス(?:の)?(?:利用)?(?:手続|規定|基準)/;

export const webServiceBanWithoutException: Rule = {
  meta: {
    id: 'web-service-ban-without-exception',
    aliases: ['webmail-storage-ban', 'LGP205'],
    title: 'ウェブメール・オンラインストレージの一律禁止（承認したサービスの例外なし）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording', 'external-service', 'mail'],
    guideline: ['6.1(15) 電子メールの利用制限', '8.3・8.4 外部サービスの利用（令和6年10月版以降の番号。令和5年3月版までは 8.2・8.3）'],
    seeds: ['意見69', '意見133', '質問4'],
  },
  check(ctx) {
    // No clause can hold the pattern (a one-shot analysis of a text without it): nothing to read.
    if (!mayMatchClauses(ctx.doc, SERVICE)) return;
    for (const clause of ctx.doc.clauses) {
      const t = clause.text;
      const m = SERVICE.exec(t);
      if (!m || !BAN.test(t.slice(m.index))) continue;
      if (EXCEPTION.test(itemText(ctx.doc, clause.node)) || EXCEPTION.test(t)) continue;
      const span = clauseSpan(clause, m.index, m[0].length);
      if (spanInCode(ctx.doc, span)) continue;
      // The exception goes right before the service (「職員等は、組織が利用を承認したものを除き、ウェブメールを…」).
      const at = span.start;
      ctx.report({
        message: `「${m[0]}」を例外なく禁止すると、組織が審査して利用を承認した外部サービスまで使えないと読め、外部サービスの利用を承認する手続と食い違います。禁止したいのが私的に契約したサービスや承認されていないサービスであれば、「組織が利用を承認したものを除き」のように例外を書いてください。`,
        span,
        fixes: [{ title: '「組織が利用を承認したものを除き、」を加える', edits: [{ span: { start: at, end: at }, newText: '組織が利用を承認したものを除き、' }], safe: false, preferred: true }],
      });
    }
  },
};
