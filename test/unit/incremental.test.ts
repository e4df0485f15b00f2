/**
 * Incremental analysis (the language server keeps a Memo per document) must give exactly what a
 * fresh analysis of the same text gives: same model and same findings, after any edit sequence.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { analyze, type Analysis } from '../../server/src/engine/engine';
import { Memo } from '../../server/src/engine/memo';
import { rng } from './helpers';
// @ts-expect-error plain ES module without types (the benchmark's generator)
import { generateBig } from '../../bench/generate.mjs';

/** What a user can observe: findings with fixes, and the model the features read. */
function observable(a: Analysis) {
  const d = a.doc;
  return {
    findings: a.findings,
    isPolicy: a.isPolicy,
    revision: a.revision,
    nodes: d.nodes.map((n) => [n.kind, n.lineSpan, n.span, n.title, n.caption, n.marker?.style, n.marker?.value, n.parent?.id, n.depth]),
    clauses: d.clauses.map((c) => [c.span, c.obligation, c.subject?.text, c.subject?.roleId]),
    definitions: d.definitions.map((x) => [x.term, x.span, x.kind]),
    references: d.references.map((r) => [r.kind, r.span, r.target?.id, r.external]),
    tables: d.tables.map((t) => [t.span, t.rows.length, t.node.id]),
    comments: d.comments,
    codeSpans: d.codeSpans,
    metadata: { ...d.metadata },
  };
}

const FRAGMENTS = ['あ', '、', 'a', ' ', '\n', '\n\n', '\r\n', '。', '(1) ', '① ', '第3条 ', '## 2. 外部サービスの利用\n', '```\n', '<!--', '-->', '| a | b |\n|---|---|\n', '暗号化又はパスワード設定', 'サーバー', '総括情報セキュリティ責任者', 'EDR', '本町', '- ', '> ', '約款による外部サービスを利用する。', '「', '」', '`', 'https://example.lg.jp/', 'ＷＥＢ会議', 'ｻｰﾊﾞ', '本市'];

function edit(text: string, rand: () => number): string {
  const at = Math.floor(rand() * (text.length + 1));
  const r = rand();
  // Change what the whole document declares (revision, organization): every section's findings may change.
  if (r < 0.05) return text.replace(/令和7年3月|令和5年3月/, (m) => (m === '令和7年3月' ? '令和5年3月' : '令和7年3月'));
  if (r < 0.08) return text.replace(/^organization: .*$|^(?=guideline:)/m, (m) => (m ? '' : 'organization: 本町\n'));
  if (r < 0.45) return text.slice(0, at) + FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)] + text.slice(at);
  if (r < 0.9) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * (rand() < 0.8 ? 2 : 80)));
  // Paste a whole paragraph from elsewhere (undo/redo-like: text the memo has seen before).
  const from = Math.floor(rand() * text.length);
  return text.slice(0, at) + text.slice(from, from + 200) + text.slice(at);
}

function replay(start: string, edits: number, seed: number) {
  const rand = rng(seed);
  const memo = new Memo(true);
  let text = start;
  for (let i = 0; i < edits; i++) {
    text = edit(text, rand);
    const incremental = analyze(text, { memo });
    const fresh = analyze(text);
    expect(observable(incremental), `edit ${i} (seed ${seed})`).toEqual(observable(fresh));
  }
  return memo;
}

describe('incremental analysis', () => {
  it('equals a fresh analysis after every random edit of a generated 30 KB policy (both layouts)', () => {
    // The soak (npm run fuzz) sets LGPOLICY_FUZZ_EDITS for the language server; a twentieth of it here.
    const edits = process.env.LGPOLICY_FUZZ_EDITS ? Math.ceil(Number(process.env.LGPOLICY_FUZZ_EDITS) / 20) : 60;
    replay(generateBig(30_000, 'guideline', 3), edits, 11);
    replay(generateBig(30_000, 'reiki', 4), edits, 12);
  }, 600_000);

  it('equals a fresh analysis after random edits of every conformance fixture', () => {
    const dir = 'test/fixtures/conformance';
    readdirSync(dir).sort().forEach((f, i) => replay(readFileSync(`${dir}/${f}`, 'utf8'), 8, 100 + i));
  }, 600_000);

  it('keeps only what the current text uses (the memo does not grow with the number of edits)', () => {
    const text = generateBig(30_000, 'guideline', 5);
    const memo = new Memo(true);
    analyze(text, { memo });
    const base = memo.size;
    let t = text;
    const rand = rng(5);
    for (let i = 0; i < 40; i++) { t = edit(t, rand); analyze(t, { memo }); }
    expect(memo.size).toBeLessThan(base * 3);
  });
});
