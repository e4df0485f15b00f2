/**
 * Passwords of official accounts that are shared without any control, or never changed
 * (「パスワードは担当者間で共有する」「パスワードは変更しない」). A shared password stays usable
 * by everyone who ever knew it; one that is never changed stays usable after a leak. The
 * guideline allows a shared ID's password to be shared only as an exception, and asks for the
 * authentication information of SNS accounts to be managed (6.1(22)).
 */
import type { Rule } from '../../types';
import { eachMatch, itemText } from './util';

/** 「パスワード…共有する」 as an instruction (not 「共有してはならない」). */
const SHARE = /パスワード(?:等)?(?:は|を|も)[、，]?([^。を]{0,15}?)共有(?:する|して|し[、，,]|すること|するものとする|できる|を認める|を可とする|とする)/g;
/** What is shared is a file or data protected by a password, not the password. */
const SHARED_THING = /ファイル|データ|文書|資料|フォルダ|情報/;
const SHARE_DENIED = /共有(?:して?は(?:ならない|いけない)|しない|せず|させない|を?禁止|を?認めない|を?避け)/;
/** Controls that make sharing defensible: who may know it, when it is changed, a second factor. */
const SHARE_CONTROLS = /承認|許可|最小限|限定|限る|限り|指定(?:した|された|する)|名簿|記録|管理簿|台帳|異動|退職|転出|交代|担当(?:者)?(?:の)?変更|担当を外れ|変更(?:しなければ|する|すること|を行う)|多要素|二要素|2要素|２要素|二段階|2段階|２段階|ワンタイム|パスワード管理(?:ツール|ソフト)/;

/** 「パスワードは変更しない」「パスワードを変更してはならない」「パスワードは固定とする」. */
const NEVER_CHANGE = /パスワード[^。]{0,20}?(?:は|を|の)[^。]{0,10}?(?:変更(?:しない|せず|を行わない|は行わない|して?は(?:ならない|いけない)|は不要|を要しない|の必要はない|する必要はない)|固定(?:とする|する|のまま))/g;
/** Not requiring *periodic* change is current good practice; and 「変更せずに使用してはならない」 says the opposite. */
const PERIODIC = /定期|一定期間|期限|有効期間|周期|毎年|毎月|か月ごと|ヶ月ごと|カ月ごと/;

/** Forbids changing *someone else's* password, which is a different (sound) rule. */
const SOMEONE_ELSES = /他人|他者|他の(?:職員|利用者)|利用者の|本人以外|無断|勝手に|許可なく|承認なく|同意なく|権限のない/;
/** The item already says when it is changed (on a leak, on a change of staff …). */
const CHANGE_ON_EVENT = /ただし|但し|漏えい|漏洩|流出|疑われ|不正(?:な)?(?:利用|アクセス|ログイン)|異動|退職|交代/;

export const sharedOrFixedPassword: Rule = {
  meta: {
    id: 'shared-or-fixed-password',
    aliases: ['password-sharing', 'LGP211'],
    title: 'パスワードの無条件の共有・変更しない定め',
    defaultSeverity: 'warning',
    fixable: false,
    scope: 'section',
    tags: ['wording', 'password', 'social-media'],
    guideline: ['5.4 ID及びパスワード等の管理', '6.1(22) ソーシャルメディアサービスの利用（不正アクセス対策）'],
    seeds: [],
  },
  check(ctx) {
    eachMatch(ctx, SHARE, (m, span, clause) => {
      if (SHARED_THING.test(m[1]) || SHARE_DENIED.test(clause.text)) return;
      // 「…共有する場合は、…」 states what applies when sharing, not that passwords are shared.
      if (/^(?:場合|とき|際|ときは|ことが(?:ない|ないよう))/.test(clause.text.slice(span.end - clause.span.start))) return;
      if (SHARE_CONTROLS.test(itemText(ctx.doc, clause.node))) return;
      ctx.report({
        message: 'パスワードを共有すると、誰が操作したのかを後から確かめられず、担当を離れた人もそのまま使えてしまいます。共有アカウントなどで共有が避けられない場合は、知らせる者を必要最小限の担当者に限り、異動や退職で担当者が替わったときや漏えいが疑われるときに変更することを書いてください。',
        span,
      });
    });
    eachMatch(ctx, NEVER_CHANGE, (m, span, clause) => {
      const after = clause.text.slice(span.end - clause.span.start, span.end - clause.span.start + 8);
      if (/^(?:に|で|まま)?(?:使用|利用|運用|放置)/.test(after) || /^まま/.test(after)) return;
      if (PERIODIC.test(m[0]) || PERIODIC.test(clause.text)) return;
      if (SOMEONE_ELSES.test(clause.text)) return; // 「他人のパスワードを無断で変更してはならない」
      if (CHANGE_ON_EVENT.test(itemText(ctx.doc, clause.node))) return;
      ctx.report({
        message: 'パスワードを変更しないと定めると、漏えいしたときや担当者が替わったときにも古いパスワードが使われ続けます。定期的な変更を求めないこと自体は問題ありませんが、漏えいや不正利用が疑われるとき、パスワードを知る担当者が替わったときには直ちに変更すると書いてください。',
        span,
      });
    });
  },
};
