import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// vscode-textmate / vscode-oniguruma ship UMD bundles; load them through
// require so that named exports resolve regardless of ESM/CJS interop.
const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate') as typeof import('vscode-textmate');
const oniguruma = require('vscode-oniguruma') as typeof import('vscode-oniguruma');

const GRAMMAR_PATH = fileURLToPath(
  new URL('../../syntaxes/lgpolicy.injection.tmLanguage.json', import.meta.url),
);
const WASM_PATH = require.resolve('vscode-oniguruma/release/onig.wasm');

const INJECTION_SCOPE = 'lgpolicy.markdown.injection';
const HOST_SCOPE = 'text.html.markdown';

const S = {
  must: 'keyword.other.obligation.must.lgpolicy',
  mustNot: 'keyword.other.obligation.must-not.lgpolicy',
  shall: 'keyword.other.obligation.shall.lgpolicy',
  effort: 'keyword.other.obligation.effort.lgpolicy',
  recommended: 'keyword.other.obligation.recommended.lgpolicy',
  may: 'keyword.other.obligation.may.lgpolicy',
  role: 'entity.name.type.role.lgpolicy',
  classification: 'constant.other.classification.lgpolicy',
} as const;

const ALL_LGPOLICY = Object.values(S);

/**
 * Minimal stand-in for VS Code's built-in Markdown grammar: fenced code
 * blocks, ATX headings (text via captures), list items, paragraphs and
 * inline code spans. Enough to exercise the injection selector.
 */
const stubMarkdownGrammar = {
  scopeName: HOST_SCOPE,
  patterns: [
    { include: '#fenced_code' },
    { include: '#heading' },
    { include: '#list' },
    { include: '#paragraph' },
  ],
  repository: {
    fenced_code: {
      name: 'markup.fenced_code.block.markdown',
      begin: '^```.*$',
      end: '^```\\s*$',
    },
    heading: {
      name: 'markup.heading.markdown',
      match: '^(#{1,6})\\s+(.*)$',
      captures: {
        1: { name: 'punctuation.definition.heading.markdown' },
        2: { name: 'entity.name.section.markdown', patterns: [{ include: '#inline' }] },
      },
    },
    list: {
      name: 'markup.list.unnumbered.markdown',
      begin: '^\\s*([-*+])\\s+',
      beginCaptures: { 1: { name: 'punctuation.definition.list.begin.markdown' } },
      while: '^(?!\\s*$|```|#|\\s*[-*+]\\s)',
      patterns: [{ include: '#inline' }],
    },
    paragraph: {
      name: 'meta.paragraph.markdown',
      begin: '^(?=\\S)',
      while: '^(?!\\s*$|```|#|\\s*[-*+]\\s)',
      patterns: [{ include: '#inline' }],
    },
    inline: {
      patterns: [
        {
          name: 'markup.inline.raw.string.markdown',
          match: '(`+)[^`]+?\\1',
        },
        {
          name: 'markup.bold.markdown',
          begin: '\\*\\*',
          end: '\\*\\*',
        },
      ],
    },
  },
};

interface Tok {
  text: string;
  scopes: string[];
}

let grammar: import('vscode-textmate').IGrammar;

beforeAll(async () => {
  const wasm = fs.readFileSync(WASM_PATH);
  await oniguruma.loadWASM(
    wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
  );
  const onigLib = Promise.resolve({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  });
  const registry = new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName: string) => {
      if (scopeName === HOST_SCOPE) {
        return vsctm.parseRawGrammar(JSON.stringify(stubMarkdownGrammar), 'markdown-stub.json');
      }
      if (scopeName === INJECTION_SCOPE) {
        return vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH);
      }
      return null;
    },
    getInjections: (scopeName: string) =>
      scopeName === HOST_SCOPE ? [INJECTION_SCOPE] : undefined,
  });
  const g = await registry.loadGrammar(HOST_SCOPE);
  if (!g) throw new Error('failed to load stub markdown grammar');
  grammar = g;
});

function tokenize(text: string): Tok[][] {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({
      text: line.slice(t.startIndex, t.endIndex),
      scopes: t.scopes,
    }));
  });
}

/** Texts of all tokens carrying `scope`, in document order. */
function tokensWith(text: string, scope: string): string[] {
  return tokenize(text)
    .flat()
    .filter((t) => t.scopes.includes(scope))
    .map((t) => t.text);
}

/** Texts of all tokens carrying any lgpolicy scope. */
function coloured(text: string): string[] {
  return tokenize(text)
    .flat()
    .filter((t) => t.scopes.some((s) => s.endsWith('.lgpolicy')))
    .map((t) => t.text);
}

/** The lgpolicy scopes on the single token whose text is exactly `needle`. */
function scopeOf(text: string, needle: string): string[] {
  const hits = tokenize(text)
    .flat()
    .filter((t) => t.text === needle);
  expect(hits, `expected exactly one token "${needle}" in ${JSON.stringify(text)}`).toHaveLength(1);
  return hits[0].scopes.filter((s) => s.endsWith('.lgpolicy'));
}

describe('grammar file', () => {
  const raw = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8'));

  it('is an injection into Markdown that excludes code and comments', () => {
    expect(raw.scopeName).toBe(INJECTION_SCOPE);
    expect(raw.injectionSelector).toBe(
      'L:text.html.markdown -markup.fenced_code -markup.inline.raw -markup.raw -comment',
    );
  });

  it('every match regex compiles in Oniguruma', () => {
    const regexes: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'match' && typeof v === 'string') regexes.push(v);
          else walk(v);
        }
      }
    };
    walk(raw);
    expect(regexes.length).toBeGreaterThan(0);
    for (const re of regexes) {
      expect(() => new oniguruma.OnigScanner([re]), re).not.toThrow();
    }
  });
});

describe('obligation levels', () => {
  it.each([
    ['職員等は、報告しなければならない。', 'しなければならない', S.must],
    ['職員等は、報告しなくてはならない。', 'しなくてはならない', S.must],
    ['措置を講じなければならない。', 'なければならない', S.must],
    ['持ち出してはならない。', 'してはならない', S.mustNot],
    ['私物を用いてはならない。', 'てはならない', S.mustNot],
    ['定期的に見直すものとする。', 'ものとする', S.shall],
    ['教育に努めなければならない。', '努めなければならない', S.effort],
    ['教育に努めるものとする。', '努めるものとする', S.effort],
    ['暗号化することが望ましい。', '望ましい', S.recommended],
    ['【推奨事項】多要素認証を導入する。', '【推奨事項】', S.recommended],
    ['例外を許可することができる。', 'することができる', S.may],
  ])('%s → %s is %s', (line, needle, scope) => {
    expect(scopeOf(line, needle)).toEqual([scope]);
  });

  it('努めなければならない is effort, not must', () => {
    const text = '情報セキュリティの向上に努めなければならない。';
    expect(tokensWith(text, S.effort)).toEqual(['努めなければならない']);
    expect(tokensWith(text, S.must)).toEqual([]);
  });

  it('努めるものとする is effort, not shall', () => {
    const text = '研修の受講に努めるものとする。';
    expect(tokensWith(text, S.effort)).toEqual(['努めるものとする']);
    expect(tokensWith(text, S.shall)).toEqual([]);
  });

  it('しなくてはならない is must, not must-not', () => {
    const text = '確認しなくてはならない。';
    expect(tokensWith(text, S.must)).toEqual(['しなくてはならない']);
    expect(tokensWith(text, S.mustNot)).toEqual([]);
  });

  it('several levels on one line each get their own scope', () => {
    const text = '職員等は報告しなければならず、放置してはならない。なお、記録するものとする。';
    expect(coloured(text)).toEqual(['職員等', 'してはならない', 'ものとする']);
    // 「しなければならず」 is not the obligation phrase and must not be coloured.
    expect(tokensWith(text, S.must)).toEqual([]);
  });
});

describe('role names', () => {
  it.each([
    '最高情報セキュリティ責任者',
    'CISO',
    '最高情報セキュリティ副責任者',
    '副CISO',
    '最高情報セキュリティアドバイザー',
    '統括情報セキュリティ責任者',
    '情報セキュリティ責任者',
    '情報セキュリティ管理者',
    '情報システム管理者',
    '情報システム担当者',
    '職員等',
    '情報セキュリティ委員会',
    'CSIRT',
    '外部サービス管理者',
    '許可権限者',
    '情報セキュリティ監査統括責任者',
    '監査統括責任者',
  ])('%s is one role token', (role) => {
    const text = `${role}は、次の事項を行う。`;
    expect(tokensWith(text, S.role)).toEqual([role]);
  });

  it('longest match wins: 統括情報セキュリティ責任者 is not split', () => {
    expect(coloured('統括情報セキュリティ責任者が承認する。')).toEqual(['統括情報セキュリティ責任者']);
  });

  it('longest match wins: 情報セキュリティ監査統括責任者 is one token', () => {
    expect(coloured('情報セキュリティ監査統括責任者は監査を指示する。')).toEqual([
      '情報セキュリティ監査統括責任者',
    ]);
  });

  it('accepts full-width CISO / CSIRT', () => {
    expect(tokensWith('ＣＩＳＯ及び副ＣＩＳＯ並びにＣＳＩＲＴ', S.role)).toEqual([
      'ＣＩＳＯ',
      '副ＣＩＳＯ',
      'ＣＳＩＲＴ',
    ]);
  });

  it('does not match CISO / CSIRT inside longer Latin words', () => {
    expect(coloured('XCISO CISOs CSIRTX')).toEqual([]);
  });
});

describe('classification levels', () => {
  it.each([
    '機密性1',
    '機密性2',
    '機密性3',
    '完全性1',
    '完全性2',
    '可用性1',
    '可用性2',
    '自治体機密性3A',
    '自治体機密性3B',
    '自治体機密性3C',
    '自治体機密性2',
    '自治体機密性1',
    '機密性2以上',
    '可用性2以下',
    '自治体機密性3A以上',
  ])('%s is one classification token', (cls) => {
    const text = `${cls}の情報資産を取り扱う。`;
    expect(tokensWith(text, S.classification)).toEqual([cls]);
  });

  it('自治体機密性2以上 is one token (not 自治体 + 機密性2 + 以上)', () => {
    expect(coloured('自治体機密性2以上の情報')).toEqual(['自治体機密性2以上']);
  });

  it('accepts full-width digits and letters', () => {
    expect(tokensWith('機密性２、完全性２以上、自治体機密性３Ａ、自治体機密性２以下', S.classification)).toEqual([
      '機密性２',
      '完全性２以上',
      '自治体機密性３Ａ',
      '自治体機密性２以下',
    ]);
  });

  it('does not colour out-of-range levels', () => {
    expect(coloured('機密性4 完全性3 機密性23 機密性2X 自治体機密性3D')).toEqual([]);
  });
});

describe('Markdown contexts', () => {
  it('colours headings, list items and table rows', () => {
    const doc = [
      '## 統括情報セキュリティ責任者の役割',
      '',
      '- 職員等は機密性2以上の情報を持ち出してはならない。',
      '',
      '| 区分 | 担当 |',
      '| --- | --- |',
      '| 自治体機密性3A | CISO |',
    ].join('\n');
    expect(coloured(doc)).toEqual([
      '統括情報セキュリティ責任者',
      '職員等',
      '機密性2以上',
      'してはならない',
      '自治体機密性3A',
      'CISO',
    ]);
    const heading = tokenize(doc)[0].find((t) => t.text === '統括情報セキュリティ責任者');
    expect(heading?.scopes).toContain('markup.heading.markdown');
    expect(heading?.scopes).toContain(S.role);
  });

  it('colours inside nested inline markup such as bold', () => {
    expect(tokensWith('**報告しなければならない**', S.must)).toEqual(['しなければならない']);
  });

  it('colours nothing inside a fenced code block', () => {
    const doc = [
      '```',
      '職員等はしなければならない。してはならない。ものとする。',
      '統括情報セキュリティ責任者 CISO ＣＳＩＲＴ 自治体機密性2以上 機密性３',
      '努めなければならない 望ましい 【推奨事項】 することができる',
      '```',
      '職員等は報告しなければならない。',
    ].join('\n');
    const lines = tokenize(doc);
    for (const line of lines.slice(0, 5)) {
      for (const t of line) {
        expect(t.scopes).toContain('markup.fenced_code.block.markdown');
        expect(t.scopes.filter((s) => ALL_LGPOLICY.includes(s as (typeof ALL_LGPOLICY)[number]))).toEqual([]);
      }
    }
    // After the fence closes, colouring resumes.
    expect(lines[5].filter((t) => t.scopes.some((s) => s.endsWith('.lgpolicy'))).map((t) => t.text)).toEqual([
      '職員等',
      'しなければならない',
    ]);
  });

  it('colours nothing inside inline code', () => {
    expect(coloured('設定値 `CISO しなければならない 機密性2` を参照する。')).toEqual([]);
  });

  it('does not colour ordinary words', () => {
    expect(
      coloured('情報 責任 管理者 担当者 機密性 完全性 可用性 自治体 ならない もの 推奨 委員会 職員 セキュリティ'),
    ).toEqual([]);
  });
});
