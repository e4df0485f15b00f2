/**
 * 「完全に分離」 without saying what is separated and how (意見118, 質問61): readers cannot tell
 * whether a link that carries only 特定通信, or a firewall between the zones, still counts.
 */
import type { Rule } from '../../types';
import { eachMatchWith, insideQuotes, itemText } from './util';

const PHRASE = /完全(?:に|な)?(?:分離|分割|切り離)/g;
/** What is separated: networks or zones (not, say, a test environment or filing). */
const NETWORK = /LGWAN|ＬＧＷＡＮ|インターネット|接続系|事務系|ネットワーク|セグメント|領域|回線/;
/** How it is separated is spelled out in the same item. */
const HOW = /物理的|論理的|通信(?:を|は|が)?[^。]{0,10}(?:一切|全て|すべて)|一切の通信|通信(?:を|は|が)?(?:行わない|行えない|させない|許可しない|許さない|遮断|できない|しない)|接続(?:しない|させない|を行わない|されていない|できない|を遮断)|特定通信|無害化|画面転送|ファイアウォール|VLAN|別(?:の|個の)(?:ネットワーク|回線|機器|端末|筐体|ケーブル)|共用(?:しない|せず)|独立した|とは[、，]?[^。]{0,40}(?:いう|状態)/;

export const completeSeparationUndefined: Rule = {
  meta: {
    id: 'complete-separation-undefined',
    aliases: ['define-complete-separation', 'LGP212'],
    title: '「完全に分離」（何をどう分離するかの記載がない）',
    defaultSeverity: 'warning',
    fixable: false,
    scope: 'document',
    tags: ['wording', 'network'],
    guideline: ['3 情報システム全体の強靱性の向上', '基本方針 2 定義（通信経路の分割）'],
    seeds: ['意見118', '質問61'],
  },
  check(ctx) {
    if (ctx.doc.definitions.some((d) => /完全(?:な|に)?(?:分離|分割)/.test(d.term))) return;
    // Every match holds 完全.
    eachMatchWith(ctx, PHRASE, '完全', (m, span, clause) => {
      if (insideQuotes(clause.text, m.index)) return;
      if (!NETWORK.test(clause.text)) return;
      if (HOW.test(clause.text) || HOW.test(itemText(ctx.doc, clause.node))) return;
      ctx.report({
        message: '「完全に分離」とだけ書くと、ファイアウォールを挟んで特定の通信だけを通す構成も含むのか、通信を一切させない構成に限るのかが読み取れません。何と何を分離するのかと、その方法（物理的に別のネットワークにし通信を一切させない、特定通信を除き通信を遮断する など）を同じ項目に書いてください。',
        span,
      });
    });
  },
};
