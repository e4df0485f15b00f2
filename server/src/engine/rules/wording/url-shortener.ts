/**
 * 短縮URL in official posts (質問23): a shortened link hides where it leads, so residents cannot
 * tell an official link from a phishing one, and the link breaks or is taken over if the shortening
 * service changes hands. The guideline's 解説 on ソーシャルメディアサービス says to avoid them.
 */
import type { Rule } from '../../types';
import { eachMatch, headingContext, itemText } from './util';

const SHORT_URL = /短縮(?:された|した)?(?:URL|ＵＲＬ)|(?:URL|ＵＲＬ)(?:の)?短縮/g;
/** The text already avoids or restricts them. */
const RESTRICTED = /(?:使用|利用|掲載|使)(?:しない|わない|せず|して?は(?:ならない|いけない)|を?(?:避け|控え|禁止|認めない))|用いない|用いず|避け|控え|禁止|やむを得|避けられない|承認|許可を(?:得|受け)|リンク先|元の(?:URL|ＵＲＬ)|正式な(?:URL|ＵＲＬ)|(?:URL|ＵＲＬ)を併記|展開/;

/** The text is about what the organisation publishes (not about links in mail it receives). */
const PUBLISHING = /投稿|発信|掲載|載せ|公開|広報|配信|ソーシャルメディア|SNS|ＳＮＳ|アカウント|ホームページ|ウェブサイト|公式|チラシ|印刷物/;
const RECEIVING = /受信|届い|受け取|開いて|開く|開かず|クリック/;

export const urlShortener: Rule = {
  meta: {
    id: 'url-shortener',
    aliases: ['no-short-url', 'LGP210'],
    title: '公式の発信での短縮URLの使用',
    defaultSeverity: 'warning',
    fixable: false,
    scope: 'section',
    tags: ['wording', 'social-media'],
    guideline: ['6.1(22) ソーシャルメディアサービスの利用（解説: なりすまし対策）'],
    seeds: ['質問23'],
  },
  check(ctx) {
    const seen = new Set<number>();
    eachMatch(ctx, SHORT_URL, (m, span, clause) => {
      if (seen.has(clause.span.start)) return;
      if (RECEIVING.test(clause.text)) return;
      if (!PUBLISHING.test(clause.text) && !PUBLISHING.test(headingContext(clause.node))) return;
      if (RESTRICTED.test(clause.text) || RESTRICTED.test(itemText(ctx.doc, clause.node))) return;
      seen.add(clause.span.start);
      ctx.report({
        message: '短縮URLは、住民がリンク先を確かめられないため偽のリンクと見分けにくく、短縮サービスが終了したり第三者の手に渡ったりするとリンクが切れたり別のサイトに誘導されたりします。公式の発信では短縮URLを使わず、自団体のドメインのURLをそのまま載せると書いてください。やむを得ず使う場合は、その条件（承認を得る、リンク先のURLを併記する など）を書いてください。',
        span,
      });
    });
  },
};
