/**
 * Erasing data only when equipment is 「廃棄」d (意見127): leased equipment leaves the
 * organisation by being returned, not disposed of, and the guideline's text on equipment speaks
 * of 廃棄、リース返却等. 総務省 sent a notice on erasing data from equipment that is disposed of
 * or returned in May 2020 (令和2年5月22日 総行情第77号, cited in 質問22).
 */
import type { Rule } from '../../types';
import { clauseSpan, headingContext, itemText, spanInCode } from './util';

/** Equipment that is often leased (not USB memories and other media, which are simply destroyed). */
const DEVICE = /機器|端末|サーバ|パソコン|ＰＣ|\bPC\b|ハードディスク|HDD|ＨＤＤ|SSD|ＳＳＤ|記憶装置|複合機|コピー機|プリンタ/;
const DISPOSE = /廃棄(?!等|物)/;
const ERASE = /消去|抹消|復元|破壊|破砕|読み出|初期化/;
/** Other ways equipment leaves the organisation are already covered. */
const OTHER_EXITS = /返却|返還|リース|レンタル|賃貸借|譲渡|売却|貸与|貸し出|再利用|再使用|転用|修理|交換|移管|所管換|処分|廃棄等|手放|外部に出|不要(?:と|に)なっ/;

export const disposalWithoutReturn: Rule = {
  meta: {
    id: 'disposal-without-return',
    aliases: ['disposal-or-lease-return', 'LGP214'],
    title: '機器のデータ消去を「廃棄」の場合だけに定める（リース返却等が抜ける）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording', 'physical', 'disposal'],
    guideline: ['4.1(7) 機器等の廃棄', '2(2) 情報資産の管理（情報資産の廃棄）'],
    seeds: ['意見127', '質問22'],
  },
  check(ctx) {
    for (const clause of ctx.doc.clauses) {
      const t = clause.text;
      const d = DISPOSE.exec(t);
      if (!d || !DEVICE.test(t) || !ERASE.test(t)) continue;
      if (OTHER_EXITS.test(itemText(ctx.doc, clause.node)) || OTHER_EXITS.test(headingContext(clause.node))) continue;
      // 「廃棄時」 becomes 「廃棄又はリース返却等の際」: the suffix joins the finding so the fix stays inside it.
      const suffix = /^[時前後]/.exec(t.slice(d.index + d[0].length))?.[0] ?? '';
      const span = clauseSpan(clause, d.index, d[0].length + suffix.length);
      if (spanInCode(ctx.doc, span)) continue;
      const fixable = suffix !== '' || /^(?:する|し|の|を|に|又は|または|若しくは)/.test(t.slice(d.index + d[0].length));
      const replacement = `廃棄又はリース返却等${{ '': '', '時': 'の際', '前': 'の前', '後': 'の後' }[suffix]}`;
      ctx.report({
        message: '機器のデータ消去を「廃棄」の場合だけに定めると、リース契約の満了で返却する機器や、譲渡・修理に出す機器の記憶装置が対象から抜けます。リース返却後の記憶装置から行政情報が流出した事案を受けて、総務省は令和2年に、廃棄やリース返却等のときのデータ消去について通知しています。「廃棄又はリース返却等」のように、機器が組織の管理を離れるすべての場合を書いてください。',
        span,
        fixes: fixable ? [{ title: '「廃棄又はリース返却等」に改める', edits: [{ span, newText: replacement }], safe: false, preferred: true }] : undefined,
      });
    }
  },
};
