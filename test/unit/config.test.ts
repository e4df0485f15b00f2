import { describe, expect, it } from 'vitest';
import { mergeConfig, parseConfigText, validateConfig, formatProblem } from '../../server/src/engine/config';
import { RULE_NAMES } from '../../server/src/engine/rules';

const parse = (text: string) => parseConfigText(text, 'ws/.lgpolicy.json', RULE_NAMES);

describe('configuration', () => {
  it('reads every key of a valid file', () => {
    const r = parse(JSON.stringify({ guideline: '令和5年3月', organization: '本町', rules: { numbering: 'warning', 'encryption-or-password': false, LGP101: { severity: 'info' } }, include: ['policies/**/*.md'], exclude: ['drafts/**'] }));
    expect(r.problems).toEqual([]);
    expect(r.config).toEqual({
      guideline: 'R5.3', organization: '本町',
      rules: { 'numbering-sequence': { enabled: true, severity: 'warning' }, 'encryption-or-password': { enabled: false }, 'required-elements': { enabled: true, severity: 'info' } },
      include: ['policies/**/*.md'], exclude: ['drafts/**'],
    });
  });

  it('gives one clear Japanese message for invalid JSON, naming the file, and defaults apply', () => {
    const r = parse('{ "rules": { "numbering-sequence": "off", } ');
    expect(r.problems).toHaveLength(1);
    expect(formatProblem(r.problems[0])).toMatch(/^ws\/\.lgpolicy\.json の「\(JSON\)」: JSON として読めません/);
    expect(r.config).toEqual({});
  });

  it('reports wrong types, unknown keys, unknown rules and revisions by key, and keeps the valid rest', () => {
    const r = parse(JSON.stringify({ guidline: 'R7.3', guideline: '平成30年', organization: 3, rules: { 'no-such-rule': true, 'numbering-sequence': 'loud', 'encryption-or-password': 'off' }, include: 'policies' }));
    expect(r.problems.map((p) => p.key)).toEqual(['guidline', 'guideline', 'organization', 'rules.no-such-rule', 'rules.numbering-sequence', 'include']);
    expect(r.problems.find((p) => p.key === 'guideline')!.message).toContain('"R7.3"（令和7年3月版）');
    expect(r.problems.find((p) => p.key === 'rules.no-such-rule')!.message).toContain('ルール「no-such-rule」はありません');
    expect(r.config.rules).toEqual({ 'encryption-or-password': { enabled: false } });
  });

  it('lets the workspace file override settings, rule by rule', () => {
    const settings = validateConfig({ guideline: 'R6.10', rules: { 'numbering-sequence': 'off', 'required-elements': 'info' } }, 'settings', RULE_NAMES).config;
    const file = parse(JSON.stringify({ rules: { 'numbering-sequence': 'warning' } })).config;
    const merged = mergeConfig(settings, file);
    expect(merged.guideline).toBe('R6.10');
    expect(merged.rules).toEqual({ 'numbering-sequence': { enabled: true, severity: 'warning' }, 'required-elements': { enabled: true, severity: 'info' } });
  });
});
