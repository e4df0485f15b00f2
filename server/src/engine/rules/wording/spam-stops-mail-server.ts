/**
 * Stopping the mail server whenever a flood of spam is *received* (意見68, 意見132): spam
 * arrives from outside every day, so the rule cannot be followed. Stopping fits only mass
 * sending from inside (a hijacked terminal or account).
 */
import type { Rule } from '../../types';
import { clauseSpan, mayMatchClauses, replaceFix, spanInCode } from './util';

const SPAM = /スパム|迷惑メール|大量の(?:電子)?メール|(?:電子)?メールを大量に/;
const STOP = /メール(?:サーバ|サーバー|サービス|システム)[^。]{0,12}?(?:停止|止め|遮断)/;
/** The receiving part of the trigger (with 送信 when both are named). */
/** The clause says the server is *not* to be stopped. */
const NOT_STOPPING = /(?:停止|止め)(?:して?は(?:ならない|いけない)|しない|せず|ない|る必要は|する必要は|することなく|までは)|(?:停止|止め)(?:を|は)?(?:要しない|行わない)/;
const RECEIVE = /送受信|受信(?:又は|または|若しくは|もしくは|及び|および|や|・|、|と)送信|送信(?:又は|または|若しくは|もしくは|及び|および|や|・|、|と)受信|受信|着信/;

export const spamStopsMailServer: Rule = {
  meta: {
    id: 'spam-stops-mail-server',
    aliases: ['no-mail-server-stop-on-spam', 'LGP204'],
    title: 'スパムメールの受信を理由にメールサーバを停止する',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording', 'mail'],
    guideline: ['6.1(14) 電子メールのセキュリティ管理'],
    seeds: ['意見68', '意見132'],
  },
  check(ctx) {
    // No clause can hold the pattern (a one-shot analysis of a text without it): nothing to read.
    if (!mayMatchClauses(ctx.doc, STOP) || !mayMatchClauses(ctx.doc, SPAM)) return;
    for (const clause of ctx.doc.clauses) {
      const t = clause.text;
      const stop = STOP.exec(t);
      if (!SPAM.test(t) || !stop) continue;
      if (NOT_STOPPING.test(t)) continue;
      // Look for the trigger outside the stop phrase itself (「メールサーバの送受信を停止」 is the action).
      const rest = t.slice(0, stop.index) + '\u3000'.repeat(stop[0].length) + t.slice(stop.index + stop[0].length);
      const r = RECEIVE.exec(rest);
      if (!r) continue; // sending only: stopping the server is a sound response
      const span = clauseSpan(clause, r.index, r[0].length);
      if (spanInCode(ctx.doc, span)) continue;
      // The fix reads naturally only after の (「スパムメール等の受信又は送信を検知した場合」).
      const fixable = t[r.index - 1] === 'の';
      ctx.report({
        message: '外部から大量のスパムメールが届くことは日常的にあり、受信を理由にメールサーバを止めると、ほとんど常に止めておくことになって業務が成り立ちません。運用の停止は、庁内の端末やアカウントからスパムメールが大量に送信されている（乗っ取りが疑われる）場合に限り、受信への対策はフィルタリングや送信元の遮断として書き分けてください。',
        span,
        fixes: fixable ? [replaceFix('「庁内からの送信」に改める', span, '庁内からの送信', false)] : undefined,
      });
    }
  },
};
