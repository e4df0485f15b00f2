/**
 * Applying only urgent or important security patches. At the 第16回 review meeting (令和7年1月31日)
 * members pointed out that a patch left unapplied can still be the one attacked; the guideline's
 * text was to say that patches are applied as fully as possible, with priority for urgent ones and
 * for equipment at the Internet boundary, and mitigations where a patch cannot be applied yet.
 */
import type { Rule } from '../../types';
import { eachMatch, itemText } from './util';

const ONLY = /(?:(?:緊急|重要|重大|深刻|危険)(?:度|性)?(?:の|が)?(?:高い|大きい)?(?:な)?|(?:CVSS|ＣＶＳＳ)[^。、]{0,15}?以上の)(?:セキュリティ)?(?:パッチ|修正プログラム|更新プログラム|セキュリティ更新|アップデート)(?:等)?(のみを?|だけを?|に限り|に限って|に限る)/g;
/** The rest is handled too, or 「のみ」 only concerns timing (「…のみ直ちに適用し」). */
const OTHERS_HANDLED = /それ以外|その他の|残り|以外の(?:パッチ|修正プログラム|更新)|緩和策|回避策|代替策|計画的に|順次|定期的に/;
const TIMING_AFTER = /^(?:は)?(?:速やかに|直ちに|即時|即座に|優先|先行|緊急に)/;

export const criticalPatchesOnly: Rule = {
  meta: {
    id: 'critical-patches-only',
    aliases: ['apply-all-patches', 'LGP215'],
    title: '緊急度・重要度の高い修正プログラムだけを適用する定め',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording', 'vulnerability'],
    guideline: ['6.6(1) セキュリティホールに関する情報の収集及びソフトウェアの更新等'],
    seeds: ['第16回検討会（令和7年1月31日）'],
  },
  check(ctx) {
    eachMatch(ctx, ONLY, (m, span, clause) => {
      const after = clause.text.slice(span.end - clause.span.start);
      if (TIMING_AFTER.test(after)) return;
      if (OTHERS_HANDLED.test(clause.text) || OTHERS_HANDLED.test(itemText(ctx.doc, clause.node))) return;
      const limiter = m[1];
      const limiterSpan = { start: span.end - limiter.length, end: span.end };
      const fixable = limiter !== 'に限る';
      ctx.report({
        message: '緊急度や重要度の高い修正プログラムだけを適用すると定めると、見送った修正プログラムの脆弱性を突かれるおそれがあります。修正プログラムは可能な限りすべて適用し、緊急度の高いものやインターネットとの境界にある機器のものを優先すること、すぐに適用できないものは回避策で補うことを書いてください。',
        span,
        fixes: fixable ? [{ title: '「を優先して」に改める', edits: [{ span: limiterSpan, newText: 'を優先して' }], safe: false, preferred: true }] : undefined,
      });
    });
  },
};
