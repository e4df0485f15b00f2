/**
 * 「必要な通信だけを許可」 between network zones: reads as if traffic that is needed but not
 * shown to be safe were allowed (意見124, 質問63). The guideline's definition of 通信経路の分割
 * speaks of 安全が確保された通信.
 */
import type { Rule } from '../../types';
import { eachMatch, headingContext, ownText, replaceFix } from './util';

const PHRASE = /((?:業務上)?必要(?:最小限|最低限)?(?:な|の))通信(?:(?:のみ|だけ|に限(?:り|って))(?:を|が|は)?(?:許可|許容|通過|通信を許|可能)|以外(?:は|を|の通信(?:は|を))?(?:遮断|禁止|拒否|許可しない|通さない))/g;
/** The clause speaks about traffic between the zones of the 強靱性 model. */
const ZONES = /LGWAN|ＬＧＷＡＮ|インターネット接続系|マイナンバー利用事務系|個人番号利用事務系|住民情報系|接続系|通信経路の分割|経路の分割|強靭|強靱|三層/;
/** Safety (or the concrete kind of traffic) is already part of the condition. */
const SAFETY = /安全|無害化|画面転送/;

export const necessaryTrafficOnly: Rule = {
  meta: {
    id: 'necessary-traffic-only',
    aliases: ['safe-traffic-only', 'LGP202'],
    title: '「必要な通信だけを許可」（安全が確保された通信）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording', 'network'],
    guideline: ['基本方針 2 定義（通信経路の分割）', '3(2) LGWAN接続系（インターネット接続系との分割）'],
    seeds: ['意見124', '質問63'],
  },
  check(ctx) {
    eachMatch(ctx, PHRASE, (m, span, clause) => {
      if (SAFETY.test(clause.text)) return;
      if (!ZONES.test(`${clause.text}\n${ownText(clause.node)}\n${headingContext(clause.node)}`)) return;
      const need = m[1];
      const target = { start: span.start, end: span.start + need.length + 2 };
      ctx.report({
        message: `「${m[0]}」は、業務に必要でさえあれば安全が確かめられていない通信も通してよいと読めます。ネットワークの領域の間で通してよいのは安全が確保された通信だけです。「安全が確保された通信のうち${need}ものだけを許可する」のように、安全であることを条件に加えてください。`,
        span,
        fixes: [replaceFix(`「安全が確保された通信のうち${need}もの」に改める`, target, `安全が確保された通信のうち${need}もの`, false)],
      });
    });
  },
};
