/**
 * Fix guarantees over every document we have (examples, conformance fixtures, VS Code
 * workspace, and seeded mutations of them): edits stay inside the document and never
 * overlap within one fix; fix-all reaches a fixed point; applying fix-all twice equals once.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import { rng } from './helpers';
import { fixAll, applyEdits, safeFixes } from '../../server/src/engine/fix';

const ROOT = path.resolve(__dirname, '../..');
const sources = ['examples', 'test/fixtures/conformance', 'test/vscode/workspace']
  .flatMap((d) => (fs.existsSync(path.join(ROOT, d)) ? fs.readdirSync(path.join(ROOT, d)).filter((f) => f.endsWith('.md')).map((f) => path.join(d, f)) : []));


const SNIPPETS = ['暗号化又はパスワード設定', '本市', '自組織', 'WEB会議', 'ＩＳＭＡＰ', '総括情報セキュリティ責任者', '機密性2以上', '第9条', '前条', '【推奨事項】', 'しなければならない', '\r\n', '\n\n', '(3) ', '② '];

function mutate(text: string, seed: number): string {
  const r = rng(seed);
  let t = text;
  for (let i = 0; i < 6; i++) {
    const at = Math.floor(r() * (t.length + 1));
    const op = r();
    if (op < 0.5) t = t.slice(0, at) + SNIPPETS[Math.floor(r() * SNIPPETS.length)] + t.slice(at);
    else if (op < 0.8) t = t.slice(0, at) + t.slice(Math.min(t.length, at + Math.floor(r() * 20)));
    else { const from = Math.floor(r() * t.length); t = t.slice(0, at) + t.slice(from, from + 30) + t.slice(at); }
  }
  return t;
}

function checkDocument(name: string, text: string) {
  const a = analyze(text);
  for (const f of a.findings) {
    expect(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${name}: ${f.ruleId} span`).toBe(true);
    for (const fix of f.fixes ?? []) {
      const spans = fix.edits.map((e) => e.span).sort((x, y) => x.start - y.start);
      spans.forEach((s, i) => {
        expect(s.start >= 0 && s.end <= text.length && s.start <= s.end, `${name}: ${f.ruleId} edit inside`).toBe(true);
        if (i > 0) expect(spans[i - 1].end <= s.start, `${name}: ${f.ruleId} edits overlap (${fix.title})`).toBe(true);
      });
      // Every offered fix re-parses into a document the engine can still analyse.
      expect(() => analyze(applyEdits(text, fix.edits)), `${name}: ${fix.title}`).not.toThrow();
    }
  }
  const once = fixAll(text);
  const twice = fixAll(once.text);
  expect(twice.text, `${name}: fix-all twice equals once`).toBe(once.text);
  expect(safeFixes(once.analysis), `${name}: no safe fix left`).toEqual([]);
}

describe('fix properties', () => {
  it('has documents to check', () => expect(sources.length).toBeGreaterThan(5));
  for (const rel of sources) {
    it(rel, { timeout: 120000 }, () => {
      const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
      checkDocument(rel, text);
      for (let seed = 1; seed <= 3; seed++) checkDocument(`${rel}#${seed}`, mutate(text, seed * 7919 + rel.length));
    });
  }
});
