import { describe, expect, it } from 'vitest';
import { knowledge } from '../../server/src/knowledge';
import { allSnippets, resolveSnippet } from '../../server/src/engine/snippets';
import { fold, foldExact } from '../../server/src/engine/normalize';
import { matchesAny } from '../../server/src/engine/concepts';
import { rng } from './helpers';
// @ts-expect-error plain ESM helper shared with the build
import { validateKnowledge } from '../../scripts/knowledge-tools.mjs';

describe('knowledge base', () => {
  const kb = knowledge();

  it('matches its JSON schemas', () => {
    expect(validateKnowledge()).toEqual([]);
  });

  it('has no name that maps to two entries', () => {
    expect(kb.conflicts).toEqual([]);
  });

  it('has unique ids and resolvable related ids', () => {
    const ids = [...kb.terms.map((t) => t.id), ...kb.roles.map((r) => r.id)];
    expect(new Set(ids).size).toBe(ids.length);
    const unknown = [...kb.terms, ...kb.roles].flatMap((e) => (e.related ?? []).filter((id) => !kb.termById.has(id) && !kb.roleById.has(id)).map((id) => `${e.id} → ${id}`));
    expect(unknown).toEqual([]);
  });

  it('has a section for every revision the term exists in', () => {
    const missing = kb.terms.flatMap((t) => (t.revisions ?? ['R4.3', 'R5.3', 'R6.10', 'R7.3']).filter((r) => !t.sections.some((s) => s.revisions.includes(r as never))).map((r) => `${t.id}@${r}`));
    expect(missing).toEqual([]);
  });

  it('names an existing snippet for every requirement element', () => {
    const snippets = allSnippets();
    const missing = kb.requirements.flatMap((s) => s.parts.flatMap((p) => p.elements.filter((e) => !snippets.has(e.snippet)).map((e) => `${s.id}/${p.id}/${e.id} → ${e.snippet}`)));
    expect(missing).toEqual([]);
  });

  it('inserts model clauses that satisfy their own element (the quick fix really fixes)', () => {
    const bad: string[] = [];
    for (const s of kb.requirements) for (const p of s.parts) for (const e of p.elements) {
      const sn = allSnippets().get(e.snippet);
      if (!sn) continue;
      for (const revision of ['R5.3', 'R7.3'] as const) {
        const text = fold(resolveSnippet(sn.body, { organization: '本市', revision }));
        if (!matchesAny(text, e.present)) bad.push(`${s.id}/${e.id} (${e.snippet}, ${revision})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('covers the roles the guideline names', () => {
    for (const name of ['最高情報セキュリティ責任者', 'CISO', '統括情報セキュリティ責任者', '情報セキュリティ責任者', '情報セキュリティ管理者', '情報システム管理者', '情報システム担当者', '職員等', '情報セキュリティ委員会', '外部サービス管理者', '許可権限者']) {
      const m = kb.matcher.matchAt(name, 0);
      expect(m?.entry.kind, name).toBe('role');
      expect(m?.end, name).toBe(name.length);
    }
  });
});

describe('folding (full-width, half-width and case variants compare equal)', () => {
  it('folds every text as NFKC and lower case, including texts that fold to themselves without ICU', () => {
    const texts = [
      '統括情報セキュリティ責任者は、外部サービスの利用を承認する。', 'edr', 'ＥＤＲ', 'EDR', 'Ｗｅｂ会議', 'ｻｰﾊﾞｰ', 'ｶﾞｲﾄﾞﾗｲﾝ',
      'か\u3099', 'ΟΔΟΣ', 'İ', 'ﬁle', '①', '㈱', '𠮷野家', 'ｶ', '\u0000', '', '（１）', '第３条', '자치단체', 'ㄱㅏ',
    ];
    for (const t of texts) {
      expect(fold(t), t).toBe(t.normalize('NFKC').toLowerCase());
      const exact = foldExact(t);
      if (exact !== undefined) expect(exact, t).toBe(fold(t));
    }
    // A text that folds to itself is returned as it is.
    const title = '外部サービスの利用に係る規定';
    expect(fold(title)).toBe(title);
    expect(foldExact(title)).toBe(title);
    expect(foldExact('ｻｰﾊﾞ')).toBeUndefined();
  });

  it('folds random mixes of kana, kanji, full- and half-width forms, marks, jamo, Greek and compatibility characters as ICU does', () => {
    const ranges: [number, number][] = [
      [0x3041, 0x3096], [0x30a1, 0x30fa], [0x4e00, 0x4e20], [0x20, 0x7e], [0xff01, 0xff5e], [0xff61, 0xff9f], [0x2460, 0x2473],
      [0x3220, 0x3243], [0xf900, 0xf92f], [0x300, 0x304], [0x3099, 0x309c], [0x1100, 0x1112], [0x1161, 0x1175], [0x3131, 0x318e],
      [0xac00, 0xac10], [0x391, 0x3a9], [0x3c2, 0x3c2], [0x130, 0x130], [0xfb00, 0xfb06], [0x2070, 0x2079], [0x2160, 0x216f],
      [0x3300, 0x337f], [0xbc, 0xbe], [0xa0, 0xad], [0x3000, 0x3003], [0xd842, 0xd842], [0xdfb7, 0xdfb7], [0xe9, 0xe9], [0x1e9e, 0x1e9e],
    ];
    const rand = rng(7);
    for (let k = 0; k < 20_000; k++) {
      let t = '';
      // Mostly title-length texts (folded from the table where they can be), one in a hundred as long as a paragraph (through ICU).
      const n = k % 100 === 0 ? 300 + Math.floor(rand() * 1000) : 1 + Math.floor(rand() * 12);
      // The long ones without composing characters, so that foldExact() gives them a value to compare.
      const pool = n > 12 ? ranges.slice(0, 5) : ranges;
      for (let i = 0; i < n; i++) {
        const [a, b] = pool[Math.floor(rand() * pool.length)];
        t += String.fromCharCode(a + Math.floor(rand() * (b - a + 1)));
      }
      const expected = t.normalize('NFKC').toLowerCase();
      if (fold(t) !== expected) expect(fold(t), JSON.stringify(t)).toBe(expected);
      const exact = foldExact(t);
      if (exact !== undefined && exact !== expected) expect(exact, JSON.stringify(t)).toBe(expected);
    }
  });
});

describe('snippets', () => {
  it('each has one ASCII id (lgp-…) and one Japanese prefix, and resolves to plain text', () => {
    const all = [...allSnippets().values()];
    expect(all.length).toBeGreaterThan(40);
    for (const s of all) {
      expect(s.prefixes.filter((p) => p.startsWith('lgp-')), s.name).toHaveLength(1);
      expect(s.prefixes.some((p) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(p)), s.name).toBe(true);
      const text = resolveSnippet(s.body, { organization: '本町', revision: 'R7.3' });
      expect(text, s.id).not.toMatch(/\$\{|\$\d/);
    }
  });

  it('resolves organisation and classification placeholders for the document', () => {
    const body = ['${1|本市,本町,本村,本区,本県,自組織|}は、${2|自治体機密性2以上,機密性2以上|}の情報を$1の${3:統括情報セキュリティ責任者}が管理する。\\$0'];
    expect(resolveSnippet(body, { organization: '本村', revision: 'R7.3' })).toBe('本村は、自治体機密性2以上の情報を本村の統括情報セキュリティ責任者が管理する。$0');
    expect(resolveSnippet(body, { organization: '本市', revision: 'R5.3' })).toBe('本市は、機密性2以上の情報を本市の統括情報セキュリティ責任者が管理する。$0');
  });
});

describe('generated docs', () => {
  it('docs/requirements.md matches the requirements data (run npm run docs)', async () => {
    // @ts-expect-error plain ESM helper
    const { renderRequirements } = await import('../../scripts/gen-docs.mjs');
    const fs = await import('node:fs');
    const file = new URL('../../docs/requirements.md', import.meta.url);
    expect(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').toBe(renderRequirements());
  });
});

describe('snippet contribution', () => {
  it('package.json contributes every snippet file to Markdown', async () => {
    const fs = await import('node:fs');
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const files = fs.readdirSync(new URL('../../snippets/', import.meta.url)).filter((f: string) => f.endsWith('.json')).sort();
    expect(pkg.contributes.snippets.map((s: { path: string }) => s.path.replace('./snippets/', '')).sort()).toEqual(files);
  });
});
