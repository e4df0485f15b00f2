/** 「暗号化又はパスワード設定」: reads as if a password alone were enough (意見128). */
import type { Rule } from '../types';

const PATTERN = /暗号化(?:の実施)?(?:又は|または|若しくは|もしくは|か|や|、|・|\/|／)(?:ファイルへの)?パスワード(?:の)?(?:設定|付与|保護|をかける|を設定)|パスワード(?:の)?(?:設定|付与)(?:又は|または|若しくは|もしくは|か|や|、|・)暗号化/g;

export const encryptionOrPassword: Rule = {
  meta: {
    id: 'encryption-or-password',
    aliases: ['no-password-instead-of-encryption', 'LGP201'],
    title: '「暗号化又はパスワード設定」',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'section',
    tags: ['wording'],
    guideline: ['6.1(16) 電子署名・暗号化', '2(2) 情報資産の管理（送信・運搬）'],
    seeds: ['意見128'],
  },
  check(ctx) {
    for (const clause of ctx.doc.clauses) {
      // Every match holds both words: most clauses are passed over without running the pattern.
      if (!clause.text.includes('暗号化') || !clause.text.includes('パスワード')) continue;
      PATTERN.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = PATTERN.exec(clause.text))) {
        const after = clause.text.slice(m.index + m[0].length, m.index + m[0].length + 4);
        if (/^(のみ|だけ)/.test(after)) continue; // 「…のみで済ませてはならない」 says the opposite
        if (clause.text[m.index - 1] === '「' && clause.text[m.index + m[0].length] === '」') continue; // a mention of the phrase, not a use
        const start = clause.span.start + m.index;
        ctx.report({
          message: `「${m[0]}」は、パスワードを設定すれば暗号化しなくてよいと読めます。パスワードだけでは内容は保護されないため、「暗号化」と書いてください。`,
          span: { start, end: start + m[0].length },
          fixes: [{ title: '「暗号化」に置き換える', edits: [{ span: { start, end: start + m[0].length }, newText: '暗号化' }], safe: true, preferred: true }],
        });
      }
    }
  },
};
