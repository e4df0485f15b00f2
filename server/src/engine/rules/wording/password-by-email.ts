/**
 * Sending the password of an encrypted attachment by (another) e-mail — the practice known as
 * PPAP (意見139, 意見76). Both mails travel the same way, so whoever can read one can read the
 * other, and the encrypted attachment also escapes virus scanning. 内閣府 and 内閣官房 stopped it
 * in November 2020.
 */
import type { Rule } from '../../types';
import { clauseSpan, itemText, mayMatchClauses, spanInCode } from './util';

/** The channel: another mail (「別メール」「別の電子メール」「メールを分けて」). */
const OTHER_MAIL = /別(?:の|途)?(?:電子)?メール|(?:異なる|もう一通の)(?:電子)?メール|(?:電子)?メールを(?:分けて|別にして|改めて)|後から(?:電子)?メールで|続けて(?:電子)?メールで/;
const SEND = /送|通知|連絡|伝え|伝達|知らせ/;
/** The clause rejects this practice rather than prescribing it. */
/** It is about a protected attachment (PPAP), not, say, issuing a temporary password. */
const ATTACHMENT = /ファイル|添付|暗号化|圧縮|ZIP|zip|Zip|ＺＩＰ/;
const REJECTED = /ではなく|以外の|以外で|しては(?:ならない|いけない)|してはならず|しない|せず|禁止|避け|控え|廃止|行わない|用いない|使わない/;

export const passwordByEmail: Rule = {
  meta: {
    id: 'password-by-email',
    aliases: ['no-ppap', 'LGP213'],
    title: '暗号化ファイルのパスワードを別の電子メールで送る（PPAP）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording', 'mail', 'encryption'],
    guideline: ['2(2) 情報資産の管理（情報の送信）', '6.1(16) 電子署名・暗号化'],
    seeds: ['意見139', '意見76'],
  },
  check(ctx) {
    // No clause can hold the pattern (a one-shot analysis of a text without it): nothing to read.
    if (!mayMatchClauses(ctx.doc, OTHER_MAIL)) return;
    for (const clause of ctx.doc.clauses) {
      const t = clause.text;
      const pw = t.search(/パスワード|暗号鍵|復号(?:の)?(?:ための)?鍵/);
      if (pw < 0) continue;
      const m = OTHER_MAIL.exec(t.slice(pw));
      if (!m || !SEND.test(t.slice(pw + m.index))) continue;
      if (REJECTED.test(t)) continue;
      if (!ATTACHMENT.test(t) && !ATTACHMENT.test(itemText(ctx.doc, clause.node))) continue; // e.g. issuing an account's first password
      const span = clauseSpan(clause, pw + m.index, m[0].length);
      if (spanInCode(ctx.doc, span)) continue;
      const fixable = /^別(?:の|途)?(?:電子)?メール$/.test(m[0]) && t[pw + m.index + m[0].length] === 'で';
      ctx.report({
        message: 'パスワードを別の電子メールで送っても、2通は同じ経路を通るため、片方を読める者はもう片方も読めます。暗号化した添付ファイルは受信側でウイルス検査もできません。内閣府や内閣官房は令和2年11月にこの方法をやめています。組織が承認したファイル共有の仕組みを使うか、パスワードは電話など電子メール以外の手段で伝えると書いてください。',
        span,
        fixes: fixable ? [{ title: '「電話など電子メール以外の手段」に改める', edits: [{ span, newText: '電話など電子メール以外の手段' }], safe: false, preferred: true }] : undefined,
      });
    }
  },
};
