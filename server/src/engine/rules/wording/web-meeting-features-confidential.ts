/**
 * Recording, automatic minutes/transcription or translation of a Web会議 allowed for 機密性2以上
 * information without any condition. These features are processed on the provider's side and
 * usually cannot be combined with E2E encryption; the guideline's 解説 says to avoid them for such
 * information as far as possible (質問24).
 */
import type { Rule } from '../../types';
import { clauseSpan, headingContext, itemText, mayMatchClauses, spanInCode } from './util';

const FEATURE = /録画|録音|議事録(?:の)?(?:自動)?(?:作成)?機能|自動議事録|議事録(?:を)?自動(?:で|的に)?作成|文字起こし|トランスクリプト|自動翻訳|翻訳機能|同時翻訳|字幕機能|要約機能|(?:AI|ＡＩ)(?:による)?要約/;
const CONFIDENTIAL = /(?:自治体)?機密性(?:[2２]|[3３][ABCＡＢＣ]?)|機密性の高い|要機密情報|秘密文書|個人情報/g;
/** 「機密性2以上の情報を取り扱わない会議」 is the opposite case. */
const NOT_CONFIDENTIAL_AFTER = /^(?:以上)?(?:の|に該当する)?(?:情報|資料)?(?:等)?(?:を|が|は)?(?:取り扱わ|取扱わ|扱わ|含ま|含まれ|該当し)(?:ない|ず)|^(?:以上)?(?:の)?(?:情報)?以外/;
const PERMIT = /(?:利用|使用|活用)(?:して(?:も)?(?:よい|差し支えない|かまわない|構わない)|(?:を|は)?(?:認める|可とする|可能とする|妨げない)|(?:することが)?できる|可能)|制限(?:しない|なく|せず)|自由に/;
/** A condition is already written: E2E, approval, necessity, only when … */
const CONDITION = /E2E|Ｅ２Ｅ|エンドツーエンド|端末間(?:の)?暗号|暗号化|承認|許可(?:を得|を受け|した|された)|場合に限|に限り|限って|のみ|だけ|確認した上|確認の上|上で|除き|除く|ただし|但し|やむを得|必要最小限|同意を得/;
const AVOID = /(?:使用|利用)(?:しない|せず|して?は(?:ならない|いけない)|を?(?:避け|控え|禁止))|使わない|用いない|停止|無効|オフ|止め/;

export const webMeetingFeaturesConfidential: Rule = {
  meta: {
    id: 'web-meeting-features-confidential',
    aliases: ['web-meeting-recording', 'LGP209'],
    title: '機密性2以上の情報を扱うWeb会議での録画・文字起こし・翻訳機能の無条件の許可',
    defaultSeverity: 'warning',
    fixable: false,
    scope: 'section',
    tags: ['wording', 'web-meeting', 'external-service'],
    guideline: ['6.1(21) Web会議サービスの利用時の対策（解説）'],
    seeds: ['質問24'],
  },
  check(ctx) {
    // No clause can hold the pattern (a one-shot analysis of a text without it): nothing to read.
    if (!mayMatchClauses(ctx.doc, FEATURE)) return;
    for (const clause of ctx.doc.clauses) {
      const t = clause.text;
      const f = FEATURE.exec(t);
      if (!f) continue;
      if (!/会議/.test(t) && !/会議/.test(headingContext(clause.node))) continue;
      if (!confidential(t)) continue;
      if (!(clause.obligation === 'may' || PERMIT.test(t)) || AVOID.test(t)) continue;
      if (CONDITION.test(t) || CONDITION.test(itemText(ctx.doc, clause.node))) continue;
      const span = clauseSpan(clause, f.index, f[0].length);
      if (spanInCode(ctx.doc, span)) continue;
      ctx.report({
        message: `機密性2以上の情報を扱う会議で「${f[0]}」などの機能を条件なしに使えると読めます。録画・文字起こし・議事録作成・翻訳などの機能は会議の音声や映像を事業者の設備で処理・保存し、多くのサービスではE2E暗号化と同時に使えません。機密性2以上の情報を扱う会議ではこれらの機能を原則として使わないこととし、使う場合の条件（E2E暗号化が使えなくなることを確かめたうえでの承認など）を書いてください。`,
        span,
      });
    }
  },
};

function confidential(t: string): boolean {
  CONFIDENTIAL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CONFIDENTIAL.exec(t))) {
    if (!NOT_CONFIDENTIAL_AFTER.test(t.slice(m.index + m[0].length))) return true;
  }
  return false;
}
