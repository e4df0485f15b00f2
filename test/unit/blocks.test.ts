/**
 * Block-by-block parsing (with and without a cache) must give exactly what parsing the whole
 * text at once gives: same lines, tables, comments, code spans and front matter.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseMarkdown } from '../../server/src/engine/parse';
import { extractLines } from '../../server/src/engine/model/lines';
import { cutBlocks, extractBlocks, plainLineTests, readFrontMatterBlock, readPlainBlock } from '../../server/src/engine/model/blocks';
import { Memo, withMemo } from '../../server/src/engine/memo';
import { rng as prng } from './helpers';
// @ts-expect-error plain ES module without types (the benchmark's generator)
import { generateBig } from '../../bench/generate.mjs';

function whole(text: string) {
  return extractLines(text, parseMarkdown(text));
}

/** An extraction without the lines' caches (a retained Memo attaches them; they are not part of what is read). */
function plain(ex: ReturnType<typeof whole>) {
  return { ...ex, lines: ex.lines.map(({ cache: _cache, ...l }) => l) };
}

function sources(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const dirs = ['examples', 'test/fixtures/conformance', '../shared/corpus'];
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(md|txt)$/.test(e.name)) out.push({ name: p, text: readFileSync(p, 'utf8') });
      }
    };
    walk(d);
  }
  return out;
}

/** Markdown fragments that stress block boundaries: fences and HTML over blank lines, lists, quotes, tables. */
const TRICKY = [
  '```\ncode\n\n第1条 本文\n```\n', '~~~~\na\n\n```\n\nb\n~~~~\n', '<!--\n\n(1) 隠れた項目\n\n-->\n', '<pre>\n\nx\n\n</pre>\n',
  '- 項目\n\n  続き\n\n次の段落\n', '1. 一\n\n2. 二\n', '> 引用\n\n> 別の引用\n', '| a | b |\n|---|---|\n| 1 | 2 |\n',
  '見出し\n===\n', '---\n\n', '    字下げコード\n\n', '- ```\n  x\n\n```\nopen\n\n(1) 中\n', '<!-- a -->\n\n', '第1条 目的\n2 前項\n',
  '# 見出し #\n本文  \n続き\t\n', '段落\n---\n', '-あ--\n', '段落\n== \n', '## 6.1 管理\n(1) 項目\r\n① 細目\r\n\r\n', '[x]: http://example.com\n\n', '\u3000字下げ\n', '*強調*と`コード`\n',
];

function mutate(text: string, rand: () => number): string {
  let t = text;
  const n = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (t.length + 1));
    const r = rand();
    if (r < 0.5) t = t.slice(0, at) + TRICKY[Math.floor(rand() * TRICKY.length)] + t.slice(at);
    else if (r < 0.8) t = t.slice(0, at) + t.slice(at + Math.floor(rand() * 40));
    else t = t.slice(0, at) + ['\n', '\n\n', '\r\n', ' ', '`', '<', '|', '#'][Math.floor(rand() * 8)] + t.slice(at);
  }
  return t;
}

describe('block-by-block parsing', () => {
  it('reads closed front matter followed by plain text without the parser, as remark-frontmatter does', () => {
    const texts = ['---\na: 1\nb: 2\n---\n\n# 題名\n', '---\n---\n', '---  \r\na: 1\r\n---  \r\n\r\n本文\r\n', '---\n\n---\n# x\n', '---\na\n---', '---\nguideline: 令和7年3月\n---\n(1) 項目\n'];
    for (const text of texts) {
      const first = cutBlocks(text)[0];
      expect(readFrontMatterBlock(text.slice(first.start, first.end)), JSON.stringify(text)).toBeDefined();
      expect(plain(extractBlocks(text).ex), JSON.stringify(text)).toEqual(plain(whole(text)));
    }
    // Not plain after the front matter: left to the parser.
    expect(readFrontMatterBlock('---\na: 1\n---\n- 箇条\n')).toBeUndefined();
  });

  it('cuts at column-0 lines after a blank line only', () => {
    const t = 'a\nb\n\nc\n\n  d\n\ne';
    expect(cutBlocks(t).map((c) => t.slice(c.start, c.end))).toEqual(['a\nb\n\n', 'c\n\n  d\n\n', 'e']);
  });

  it('reads plain paragraphs and headings itself, and leaves everything else to the parser', () => {
    expect(readPlainBlock('## 6.1 管理\n本文\n続き\n')?.children.map((c) => c.type)).toEqual(['heading', 'paragraph']);
    for (const t of ['- 項目', '1. 一', '> 引用', '`x`', '| a |', '  字下げ', '---', '* * *', '___', '===', '<!-- c -->', '[a]: b', '~~~\nx\n~~~', '+ 項目', '-\n']) expect(readPlainBlock(t), t).toBeUndefined();
    // Text that only looks special, and underlined headings (front matter whose fence is being typed), as the parser reads them.
    for (const t of ['見出し\n===', '見出し\n---  \n本文', '-あ--\nlgpolicy: true\nguideline: 令和7年3月\n---\n', '*強調*の段落\n-が先頭の行\n_x_', '本文\n=x\n', '# 題\n本文\n-- \n']) {
      const mine = readPlainBlock(t);
      expect(mine, t).toBeDefined();
      expect(plain(extractLines(t, mine!)), t).toEqual(plain(whole(t)));
    }
  });

  it('gives the same extraction as a whole-document parse on every example, fixture and corpus text', () => {
    const all = sources();
    expect(all.length).toBeGreaterThan(30);
    for (const { name, text } of all) expect(plain(extractBlocks(text).ex), name).toEqual(plain(whole(text)));
  });

  it('gives the same extraction on mutated texts (fences and HTML over blank lines, lists, tables, CRLF), cached or not', () => {
    const rand = prng(Number(process.env.LGPOLICY_SEED ?? 20261122));
    const all = sources();
    const memo = new Memo(true);
    // LGPOLICY_FUZZ_BLOCKS raises the count for a longer soak (npm run fuzz).
    for (let i = 0; i < Number(process.env.LGPOLICY_FUZZ_BLOCKS ?? 250); i++) {
      const base = all[Math.floor(rand() * all.length)].text;
      const text = mutate(base, rand);
      const expected = whole(text);
      if (process.env.DBG && JSON.stringify(extractBlocks(text).ex) !== JSON.stringify(expected)) require('fs').writeFileSync('/tmp/bad.md', text);
      expect(plain(extractBlocks(text).ex), `mutation ${i}`).toEqual(plain(expected));
      expect(plain(withMemo(memo, () => extractBlocks(text)).ex), `mutation ${i} (cached)`).toEqual(plain(expected));
      memo.commit();
    }
  }, 600_000);

  it('parses again only the blocks an edit touched', () => {
    const text = readFileSync('test/fixtures/conformance/malware.reiki.md', 'utf8');
    const memo = new Memo(true);
    const first = withMemo(memo, () => extractBlocks(text));
    memo.commit();
    expect(first.parsed).toBe(first.blocks);
    const at = text.indexOf('不正プログラム対策ソフトウェアを導入');
    const second = withMemo(memo, () => extractBlocks(text.slice(0, at) + '新しい' + text.slice(at)));
    expect(second.parsed).toBe(1);
    expect(second.blocks).toBe(first.blocks);
  });

  it('knows, after an edit, where the lines kept in order up to the end start (the outline keeps its tail from there)', () => {
    // extractBlocks reports for each line the previous line it is (from) and where the common tail
    // starts (tailFrom, from its runs of lines): the same place a walk back over `from` finds.
    const rand = prng(20261124);
    const pieces = ['あ', '\n', '\n\n', '第3条 ', '(1) ', '## 見出し\n', '```\n', '---\n', '| a |\n|---|\n', ' '];
    const walk = (from: Int32Array, previousLines: number) => {
      const n = from.length;
      if (n === 0 || from[n - 1] !== previousLines - 1) return undefined;
      let t = n - 1;
      while (t > 0 && from[t - 1] >= 0 && from[t - 1] === from[t] - 1) t--;
      return t;
    };
    for (const layout of ['guideline', 'reiki'] as const) {
      let text = generateBig(20_000, layout, 31);
      const memo = new Memo(true);
      let prev = withMemo(memo, () => { memo.begin(text); const r = extractBlocks(text); memo.commit(); return r; });
      for (let i = 0; i < 150; i++) {
        const old = text;
        const at = Math.floor(rand() * (text.length + 1));
        text = rand() < 0.5 ? text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 3));
        let p = 0;
        while (p < old.length && p < text.length && old[p] === text[p]) p++;
        let q = 0;
        while (q < old.length - p && q < text.length - p && old[old.length - 1 - q] === text[text.length - 1 - q]) q++;
        const previousLines = prev.ex.lines.length;
        const previous = { units: prev.units, ex: prev.ex, prefix: p, suffixStart: text.length - q, delta: text.length - old.length };
        const next = withMemo(memo, () => { memo.begin(text); const r = extractBlocks(text, previous); memo.commit(); return r; });
        const want = walk(next.from!, previousLines);
        if (want !== undefined) expect(next.tailFrom, `${layout} edit ${i}`).toBe(want);
        prev = next;
      }
    }
  });

  it('reads lines with char-code tests that agree with the regexes they stand for', () => {
    const rand = prng(20261122);
    const alphabet = [' ', '\t', '#', '=', '-', '*', '+', '_', '>', '~', '[', '.', ')', '0', '1', '9', 'a', '本', '　', '\r', '\n'];
    const { isBlank, isBlankRest, isSpecialStart, isUnderline, atxDepth } = plainLineTests;
    for (let i = 0; i < 20000; i++) {
      let line = '';
      for (let n = Math.floor(rand() * 12); n > 0; n--) line += alphabet[Math.floor(rand() * (rand() < 0.3 ? 3 : alphabet.length - 2))];
      const text = 'xy' + line + '\nz';
      const s = 2, e = 2 + line.length;
      expect(isBlank(text, s, e), JSON.stringify(line)).toBe(/^[ \t]*$/.test(line));
      expect(isBlankRest('x' + line, 1), JSON.stringify(line)).toBe(/^[ \t\r\n]*$/.test(line));
      if (line.length === 0) continue;
      expect(isSpecialStart(text, s, e), JSON.stringify(line)).toBe(/^(?:[ \t>~[]|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)])/.test(line));
      if (line[0] === '=' || line[0] === '-') expect(isUnderline(text, s, e), JSON.stringify(line)).toBe(/^(?:=+|-+)[ \t]*$/.test(line));
      expect(atxDepth(text, s, e), JSON.stringify(line)).toBe(/^#{1,6}(?=[ \t]|$)/.exec(line)?.[0].length ?? 0);
    }
    for (const line of ['123456789.', '1234567890.', '12)', '-', '- a', '-a', '######', '####### a', '#\ta'])
      expect(isSpecialStart(line, 0, line.length) || atxDepth(line, 0, line.length) > 0, line).toBe(/^(?:[ \t>~[]|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)])/.test(line) || /^#{1,6}(?=[ \t]|$)/.test(line));
  });
});
