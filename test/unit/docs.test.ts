/** Generated documentation stays in step with the code (`npm run docs` rewrites it). */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/engine/rules';
import { renderRulesIndex } from '../../server/src/docs/rules-index';

const ROOT = path.resolve(__dirname, '../..');
const update = process.env.UPDATE_DOCS === '1';

function expectFile(rel: string, content: string) {
  const file = path.join(ROOT, rel);
  if (update) fs.writeFileSync(file, content);
  expect(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', `${rel} is out of date: run npm run docs`).toBe(content);
}

describe('generated docs', () => {
  it('docs/rules/index.md lists every rule', () => expectFile('docs/rules/index.md', renderRulesIndex(RULES)));

  it('every rule has a docs page that cites why it exists', () => {
    for (const r of RULES) {
      const page = path.join(ROOT, 'docs', 'rules', `${r.meta.id}.md`);
      expect(fs.existsSync(page), `docs/rules/${r.meta.id}.md`).toBe(true);
      const text = fs.readFileSync(page, 'utf8');
      expect(text, r.meta.id).toMatch(/## なぜ必要か/);
      expect(text, `${r.meta.id} cites a guideline section or a consultation entry`).toMatch(/意見\d+|質問\d+|ガイドライン|\d\.\d|第\d+回/);
    }
  });

  it('rule ids and aliases are unique', () => {
    const names = RULES.flatMap((r) => [r.meta.id, ...r.meta.aliases].map((n) => n.toLowerCase()));
    expect(names.length).toBe(new Set(names).size);
  });
});
