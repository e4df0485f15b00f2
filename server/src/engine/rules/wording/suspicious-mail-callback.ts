/**
 * Checking a suspicious mail with its sender "by telephone" without saying which number to call
 * (意見74), or by replying to the mail itself (意見72): a number taken from the mail reaches the
 * attacker, and a reply tells the attacker the address is read.
 */
import type { Rule } from '../../types';
import { clauseSpan, headingContext, itemText, replaceFix, spanInCode } from './util';

/** The clause is about a mail whose sender is in doubt. */
const SUSPICIOUS = /不審|不自然|疑わしい|怪しい|心当たりのない|覚えのない|標的型|なりすまし|成りすまし|偽装/;
const MAIL = /メール/;
const CONFIRM = /確認|問い?合わせ|問合せ|照会|確かめ/;
/** 電話 used as the means of checking (not 電話番号 as a field, not 携帯電話 as a device). */
const PHONE = /(?<!携帯|固定|スマートフォン|IP)電話(?!番号|機|帳)/g;
/** The number to call is pinned down: official, known beforehand, or explicitly not the one in the mail. */
const RELIABLE_NUMBER = /公式|公表|既知|代表(?:電話)?番号|職員録|名簿|連絡先(?:一覧|リスト|台帳)|(?:あらかじめ|事前に|従前から|以前から|普段から|日頃から)[^。]{0,12}(?:把握|確認|登録|知って|使って|用いて|やり取り)|ウェブサイト|ホームページ|正規の|信頼できる|(?:メール|本文|署名)[^。]{0,12}(?:記載|書かれ|記され|示され)[^。]{0,12}(?:番号|連絡先)[^。]{0,12}(?:使わ|用いず|用いな|以外|ではなく|によらず|頼らず)|別途確認した番号/;
/** The clause has the number from the mail itself used. */
const NUMBER_IN_MAIL = /(?:メール|本文|署名)[^。、]{0,10}(?:記載|書かれ|記され|示され)(?:され)?(?:て(?:い)?る|た)[^。、]{0,4}(?:電話)?番号(?:に|へ|で|を)/;
const NEGATED_NUMBER_IN_MAIL = /番号[^。]{0,8}(?:は|を)?[^。]{0,6}(?:使わ|用いず|用いな|使用しな|以外|ではなく|によらず|頼らず|かけな|掛けな)/;
/** Replying to the suspicious mail as the check. */
const REPLY = /(?<!を)返信(?:して|により|によって|で|し、|を送って)[^。]{0,12}(?:確認|問い?合わせ|問合せ|照会|確かめ)|(?:返信|メール)で(?:差出人|送信者|送信元|発信者|相手)(?:に)?(?:問い?合わせ|問合せ|照会|確認)/;
/** The check is addressed to the sender (not, say, a phone call to the security officer). */
const SENDER = /差出人|送信者|送信元|発信者|送り主|相手/;
const NO_REPLY = /返信(?:せず|しない|して?は(?:ならない|いけない)|を?禁|を?控え|しないで)/;

/** Someone other than the sender is called (「情報セキュリティ管理者に電話で報告し」). */
const OTHER_PARTY = /管理者|責任者|担当課|担当者|窓口|CSIRT|ＣＳＩＲＴ|報告|上司|所属長/;

/** The phone call goes to the sender: a sender word near 電話 with no other party in between. */
function callsSender(t: string, phoneAt: number): boolean {
  const re = new RegExp(SENDER.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    const between = m.index < phoneAt ? t.slice(m.index + m[0].length, phoneAt) : t.slice(phoneAt, m.index);
    if (between.length <= 30 && !OTHER_PARTY.test(between) && !/。/.test(between)) return true;
  }
  return false;
}

export const suspiciousMailCallback: Rule = {
  meta: {
    id: 'suspicious-mail-callback',
    aliases: ['verify-sender-by-known-number', 'LGP203'],
    title: '不審なメールの差出人への確認方法（電話番号・返信）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording', 'mail', 'targeted-attack'],
    guideline: ['6.5 不正アクセス対策（標的型攻撃への人的対策）', '6.4(3) 職員等の遵守事項（不正プログラム対策）'],
    seeds: ['意見72', '意見74'],
  },
  check(ctx) {
    for (const clause of ctx.doc.clauses) {
      const t = clause.text;
      if (!MAIL.test(t) || !CONFIRM.test(t) || !SENDER.test(t)) continue;
      if (!SUSPICIOUS.test(t) && !SUSPICIOUS.test(headingContext(clause.node))) continue;
      if (clause.obligation === 'must-not') continue; // 「…に電話で問い合わせてはならない」 forbids it

      const reply = REPLY.exec(t);
      if (reply && !NO_REPLY.test(t)) {
        const span = clauseSpan(clause, reply.index, reply[0].length);
        if (!spanInCode(ctx.doc, span)) {
          ctx.report({
            message: '不審なメールに返信して差出人を確かめると、このアドレスが読まれていることを攻撃者に教え、やり取りを続ける口実を与えます。不審なメールには返信せず、公表されている番号や以前から把握している連絡先など、メールとは別の経路で確かめると書いてください。',
            span,
          });
        }
      }

      PHONE.lastIndex = 0;
      const phone = PHONE.exec(t);
      if (!phone || !callsSender(t, phone.index)) continue;
      const span = clauseSpan(clause, phone.index, phone[0].length);
      if (spanInCode(ctx.doc, span)) continue;
      const explicitBad = NUMBER_IN_MAIL.test(t) && !NEGATED_NUMBER_IN_MAIL.test(t);
      if (!explicitBad && RELIABLE_NUMBER.test(itemText(ctx.doc, clause.node))) continue;
      ctx.report({
        message: explicitBad
          ? '不審なメールに書かれた電話番号にかけると、その番号が攻撃者のものであれば「本物です」と答えられてしまい、なりすましを見抜けません。差出人への確認には、団体が公表している番号や以前から把握している連絡先を使い、メールに書かれた番号は使わないと書いてください。'
          : '電話で差出人に確かめること自体は有効ですが、どの番号にかけるかが書かれていないため、不審なメールに書かれた番号にかけてしまうおそれがあります。その番号が攻撃者のものなら、なりすましは見抜けません。「公表されている番号又は以前から把握している番号への電話で」のように、メールとは別に確かめた番号を使うと書いてください。',
        span,
        fixes: explicitBad ? undefined : [replaceFix('「公表されている番号又は以前から把握している番号への電話」に改める', span, '公表されている番号又は以前から把握している番号への電話', false)],
      });
    }
  },
};
