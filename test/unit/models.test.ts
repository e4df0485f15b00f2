/**
 * Our own model documents and sections are, by construction, well-written policy text:
 * inserted into a document (as a user would from the snippets), no rule may warn about them.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/engine';
import { allSnippets, resolveSnippet } from '../../server/src/engine/snippets';
import { knowledge } from '../../server/src/knowledge';

// Whole sections and documents (element snippets are single clauses, inserted into a section by quick fixes).
const elementIds = new Set(knowledge().requirements.flatMap((s) => s.parts.flatMap((p) => p.elements.map((e) => e.snippet))));
const models = [...allSnippets().values()].filter((s) => s.body.length >= 8 && !elementIds.has(s.id));

describe('model documents and sections produce no warnings', () => {
  it('has whole-section and whole-document models', () => expect(models.length).toBeGreaterThan(15));
  for (const s of models) {
    for (const revision of ['R5.3', 'R7.3'] as const) {
      it(`${s.id} (${revision})`, () => {
        const body = resolveSnippet(s.body, { organization: '本市', revision });
        // As a section of an excerpt, and as a document of its own (the templates are separate documents).
        const asSection = `---\nlgpolicy: true\nguideline: ${revision}\nexcerpt: true\n---\n# 東西市情報セキュリティ対策基準（抜粋）\n\n${body}\n`;
        const asDocument = `---\nlgpolicy: true\nguideline: ${revision}\n---\n${body.startsWith('#') ? body : `# 東西市情報セキュリティ規程（モデル）\n\n${body}`}\n`;
        for (const text of [asSection, asDocument]) {
          const problems = analyze(text).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
          expect(problems.map((f) => `${f.ruleId}: ${text.slice(f.span.start, f.span.end).slice(0, 40)} — ${f.message.slice(0, 80)}`)).toEqual([]);
        }
      });
    }
  }
});
