import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import { coverageReport, coverageMarkdown, coverageHtml } from '../../server/src/features/coverage';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const EXAMPLE = path.resolve(__dirname, '../../examples/taisaku-kijun.md');

describe('coverage report', () => {
  it('marks each element of a written section present (with its line) or missing', () => {
    const text = '---\nlgpolicy: true\n---\n# 対策基準（抜粋）\n\n## 8.3 外部サービス（クラウドサービス）の利用（自治体機密性2以上の情報を取り扱う場合）\n\n(1) 外部サービスの利用に係る規定の整備\n\n① 外部サービス利用判断基準\n\n② 外部サービス提供者の選定基準\n';
    const r = coverageReport(analyze(text));
    const ext = r.sections.find((s) => s.id === 'external-service-sensitive')!;
    expect(ext.status).toBe('partial');
    const rules = Object.fromEntries(ext.elements.filter((e) => e.item.startsWith('8.3(1)')).map((e) => [e.id, [e.status, e.line]]));
    expect(rules).toEqual({ 'usage-criteria': ['present', 10], 'provider-selection-criteria': ['present', 12], 'approval-authority-procedure': ['missing', undefined], 'service-manager': ['missing', undefined] });
    expect(r.excerpt).toBe(true);
    const md = coverageMarkdown(r);
    expect(md).toContain('| 8.3(1)③ | 利用申請の許可権限者及び利用手続 | ✗ 見当たらない |  |');
    expect(coverageHtml(r)).toContain('<td>8.3(1)①</td><td>外部サービス利用判断基準</td><td>✓ 記載あり</td><td><a href="#" data-line="10">10行目</a></td>');
  });

  it('uses the numbering of the document’s revision; absent sections are missing in a whole standard, omitted in a fragment', () => {
    const fragment = '---\nlgpolicy: true\nguideline: 令和5年3月\n---\n# 対策基準\n';
    const ext = coverageReport(analyze(fragment)).sections.find((s) => s.id === 'external-service-sensitive')!;
    expect(ext.number).toBe('8.2');
    expect(ext.status).toBe('omitted');
    const whole = fragment + '\n## 7.4 例外措置\n\n本文。\n\n## 6.4 不正プログラム対策\n\n本文。\n';
    expect(coverageReport(analyze(whole)).sections.find((s) => s.id === 'external-service-sensitive')!.status).toBe('missing');
  });

  it('is available from the CLI as md, html and json', () => {
    const md = execFileSync(process.execPath, [CLI, 'coverage', EXAMPLE], { encoding: 'utf8' });
    expect(md).toContain('# ガイドライン対応状況: 東西市情報セキュリティ対策基準（抜粋）');
    expect(md).toMatch(/\| 8\.3\(1\)③ \| 利用申請の許可権限者及び利用手続 \| ✗ 見当たらない/);
    const json = JSON.parse(execFileSync(process.execPath, [CLI, 'coverage', EXAMPLE, '--format', 'json'], { encoding: 'utf8' }));
    expect(json.revision).toBe('R7.3');
    expect(execFileSync(process.execPath, [CLI, 'coverage', EXAMPLE, '--format', 'html'], { encoding: 'utf8' })).toMatch(/^<!DOCTYPE html>/);
    const bad = spawnSync(process.execPath, [CLI, 'coverage', EXAMPLE, '--format', 'pdf'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('md / html / json');
  });
});
