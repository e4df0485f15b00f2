/**
 * The engine survives any text: pathological inputs (a 1 MB single line, 10,000-level nesting,
 * NUL bytes and binary, lone surrogates, BOM, every line-break mix, empty, a multi-megabyte
 * document) and seeded random/mutated Markdown from the examples, fixtures and ../shared/corpus.
 * Invariants: no exception; every finding, related location and fix edit lies inside the text;
 * the edits of one fix never overlap; applying any fix gives text that analyses again without error.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Analysis } from '../../server/src/engine/engine';
import { applyEdits } from '../../server/src/engine/fix';
import { rng } from './helpers';

const ROOT = path.resolve(__dirname, '../..');

function corpus(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(md|txt)$/.test(e.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  for (const d of ['examples', 'test/fixtures/conformance', '../shared/corpus']) walk(path.join(ROOT, d));
  return out;
}

function checkInvariants(text: string, a: Analysis, label: string): void {
  const inside = (s: { start: number; end: number }) => s.start >= 0 && s.start <= s.end && s.end <= text.length;
  for (const f of a.findings) {
    expect(inside(f.span), `${label}: finding ${f.ruleId} span`).toBe(true);
    expect(f.message.length, `${label}: ${f.ruleId} message`).toBeGreaterThan(0);
    for (const r of f.related ?? []) expect(inside(r.span), `${label}: related`).toBe(true);
    for (const fix of f.fixes ?? []) {
      const edits = [...fix.edits].sort((x, y) => x.span.start - y.span.start);
      edits.forEach((e, i) => {
        expect(inside(e.span), `${label}: edit of ${f.ruleId}`).toBe(true);
        if (i > 0) expect(e.span.start, `${label}: overlapping edits in "${fix.title}"`).toBeGreaterThanOrEqual(edits[i - 1].span.end);
      });
    }
  }
  // Internal errors would be reported as findings: none may occur.
  expect(a.failures.map((x) => x.ruleId), label).toEqual([]);
}

/** Analyses, checks the invariants, applies the first fixes and analyses the results again. */
function survive(text: string, label: string, applyFixes = 3): Analysis {
  const a = analyze(text, { globMatch: 'include' });
  checkInvariants(text, a, label);
  for (const f of a.findings.filter((x) => x.fixes?.length).slice(0, applyFixes)) {
    const after = applyEdits(text, f.fixes![0].edits);
    checkInvariants(after, analyze(after, { globMatch: 'include' }), `${label} after fix ${f.ruleId}`);
  }
  return a;
}

describe('pathological inputs', () => {
  const policyHead = '---\nlgpolicy: true\n---\n# 情報セキュリティ対策基準\n\n';

  it('an empty document, only white space, only line breaks, only a BOM', () => {
    for (const t of ['', ' ', '\n', '\r\n\r\n', '\r', '\ufeff', '\ufeff\n', '\t\u3000\n']) survive(t, JSON.stringify(t));
  });

  it('a 1 MB single line (no line break), with and without sentence ends', { timeout: 120_000 }, () => {
    const sentence = '統括情報セキュリティ責任者は、暗号化又はパスワード設定を行わなければならない';
    survive(policyHead + (sentence + '。').repeat(Math.ceil(1_000_000 / (sentence.length + 1))), '1 MB line with 。', 1);
    survive(policyHead + 'あいうえお、EDR '.repeat(1_000_000 / 10), '1 MB line without 。', 1);
    // One 1 MB word of Latin letters (a pasted blob): no per-match scan over it, no regex restarting at every letter.
    survive(policyHead + 'a'.repeat(1_000_000) + '\n\nＥＤＲとEDR。\n', '1 MB of letters', 1);
  });

  it('10,000-level nested lists and block quotes', { timeout: 120_000 }, () => {
    survive(policyHead + '> '.repeat(10_000) + '引用\n', 'quotes');
    // Nesting by indentation, one level per line: 1,000 levels are already 1 MB of indentation.
    survive(policyHead + Array.from({ length: 1_000 }, (_, i) => `${'  '.repeat(i)}- 項目${i}`).join('\n'), 'nested list lines');
    survive(policyHead + Array.from({ length: 2_000 }, (_, i) => `${'>'.repeat(i % 200)} 引用${i}`).join('\n'), 'quote depth changing line by line');
    survive(policyHead + '- '.repeat(10_000) + '項目\n', 'list markers on one line');
    survive(policyHead + '1. > - '.repeat(3_000) + 'x\n', 'mixed containers');
  });

  it('NUL bytes, control characters and random binary', () => {
    const r = rng(8);
    survive(policyHead + '\u0000'.repeat(1000) + '本文\u0000です。\n', 'NUL');
    survive(policyHead + Array.from({ length: 20_000 }, () => String.fromCharCode(Math.floor(r() * 0x20))).join(''), 'control characters');
    const bytes = Buffer.from(Array.from({ length: 50_000 }, () => Math.floor(r() * 256)));
    survive(bytes.toString('utf8'), 'random bytes as UTF-8');
    survive(bytes.toString('latin1'), 'random bytes as Latin-1');
  });

  it('lone surrogates and astral characters anywhere', () => {
    survive(policyHead + '(1) 職員等は\ud800、\udc00𠮷野家の\ud83dEDR\ude00を使う。\n\ud800', 'surrogates');
    survive('\udc00' + policyHead + '𠮷'.repeat(10_000), 'leading low surrogate');
  });

  it('CR, LF, CRLF and mixed line endings, with a BOM', () => {
    const base = fs.readFileSync(path.join(ROOT, 'examples/taisaku-kijun.md'), 'utf8');
    for (const [name, eol] of [['CR', '\r'], ['LF', '\n'], ['CRLF', '\r\n']] as const) survive('\ufeff' + base.replace(/\n/g, eol), name);
    const r = rng(3);
    survive(base.replace(/\n/g, () => ['\n', '\r\n', '\r', '\n\r'][Math.floor(r() * 4)]), 'mixed');
  });

  it('a multi-megabyte document (the language server skips larger ones, see the protocol test)', { timeout: 300_000 }, () => {
    const base = corpus().join('\n\n');
    const big = base.repeat(Math.ceil(3_000_000 / base.length)).slice(0, 3_000_000);
    const a = survive(big, '3 MB', 0);
    expect(a.doc.nodes.length).toBeGreaterThan(1000);
  });
});

describe('random and mutated Markdown', () => {
  const PIECES = ['\n', '\n\n', '\r\n', '\r', '```', '~~~', '<!--', '-->', '<pre>', '|', '| --- |', '#', '## ', '> ', '- ', '1. ', '* ', '\t', '    ', '\\', '`', '[', '](', '**', '_', '\u0000', '\ud800', '\ufeff', '（', '）', '「', '」', '第1条', '(1) ', '① ', '(ア) ', 'ア ', '2 ', '前条', '別表第1', '---\n', '以下「A」という。', 'EDR', '本町'];
  const COUNT = Number(process.env.LGPOLICY_FUZZ_INPUTS ?? 150);

  it(`${COUNT} seeded inputs keep every invariant`, () => {
    const r = rng(Number(process.env.LGPOLICY_SEED ?? 99));
    const bases = corpus();
    expect(bases.length).toBeGreaterThan(10);
    for (let i = 0; i < COUNT; i++) {
      let t: string;
      if (i % 5 === 0) {
        // From scratch: a soup of Markdown and policy syntax.
        t = Array.from({ length: 50 + Math.floor(r() * 400) }, () => (r() < 0.6 ? PIECES[Math.floor(r() * PIECES.length)] : '職員等は、情報を暗号化しなければならない。')).join('');
      } else {
        t = bases[Math.floor(r() * bases.length)];
        for (let k = 0, n = 1 + Math.floor(r() * 12); k < n; k++) {
          const at = Math.floor(r() * (t.length + 1));
          const op = r();
          if (op < 0.5) t = t.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + t.slice(at);
          else if (op < 0.8) t = t.slice(0, at) + t.slice(at + Math.floor(r() * 60));
          else { const from = Math.floor(r() * t.length); t = t.slice(0, at) + t.slice(from, from + 200) + t.slice(at); }
        }
      }
      survive(t, `input ${i}`, 2);
    }
  }, 600_000);
});
