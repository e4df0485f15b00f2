/**
 * MACアドレス as a criterion for limiting destinations at a firewall or relay server (意見141):
 * a MAC address is only visible inside one network segment (not across routers) and is easily
 * spoofed, so it cannot pick out communication partners. FQDN, IP address and port can.
 */
import type { Fix, Rule } from '../../types';
import { eachMatch } from './util';

const MAC = /(?:MAC|ＭＡＣ|Ｍａｃ)アドレス/g;
/** Limiting where traffic may go (not registering terminals allowed on a LAN, where MAC filtering is a common extra). */
const DESTINATION = /通信先|宛先|送信先|通信相手|接続先(?:を|は|の(?:限定|制限))/;
/** A boundary device facing other networks. */
const BOUNDARY_DEVICE = /ファイア(?:ウォール|ウオール)|ファイヤー?ウォール|ＦＷ|\bFW\b|中継サーバ|プロキシ/;
const OUTSIDE = /インターネット|外部|接続系|領域|セグメント間|ネットワーク間/;
const LIMIT = /限定|制限|制御|許可|遮断|フィルタ|識別|判別|絞/;
const SEPARATORS = ['、', '・', '，', ',', '及び', 'および', '又は', 'または', 'や'];

export const macAddressFiltering: Rule = {
  meta: {
    id: 'mac-address-filtering',
    aliases: ['no-mac-address-destination-filter', 'LGP206'],
    title: 'MACアドレスで通信先を限定する',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording', 'network'],
    guideline: ['3 情報システム全体の強靱性の向上（解説: 通信先の限定）', '6.1(10) 外部ネットワークとの接続制限等'],
    seeds: ['意見141'],
  },
  check(ctx) {
    eachMatch(ctx, MAC, (m, span, clause) => {
      const t = clause.text;
      if (!LIMIT.test(t) || !(DESTINATION.test(t) || (BOUNDARY_DEVICE.test(t) && OUTSIDE.test(t)))) return;
      const i = m.index;
      const fixes: Fix[] = [];
      let reported = span;
      if (/FQDN|ＦＱＤＮ|ドメイン名/.test(t)) {
        // FQDN is already listed: drop MAC from the list together with one separator (the finding covers both).
        const before = SEPARATORS.find((s) => t.slice(i - s.length, i) === s);
        const after = SEPARATORS.find((s) => t.startsWith(s, i + m[0].length));
        if (before) reported = { start: span.start - before.length, end: span.end };
        else if (after) reported = { start: span.start, end: span.end + after.length };
        if (before || after) fixes.push({ title: '「MACアドレス」を列挙から削る', edits: [{ span: reported, newText: '' }], safe: false, preferred: true });
      } else {
        fixes.push({ title: '「FQDN（ドメイン名）」に置き換える', edits: [{ span, newText: 'FQDN（ドメイン名）' }], safe: false, preferred: true });
      }
      ctx.report({
        message: 'MACアドレスは同じネットワークの区間の中でしか見えず、ルータを越えた先の通信先を区別できないうえ、容易に偽装できます。ファイアウォールや中継サーバで通信先を限定する条件には、IPアドレス、ポート番号、FQDN（ドメイン名）などを使ってください。',
        span: reported,
        fixes: fixes.length ? fixes : undefined,
      });
    });
  },
};
