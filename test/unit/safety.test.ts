/** Nothing from the extension, the server or the CLI goes over the network; nothing from a workspace is executed. */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : /\.(ts|mjs|cjs|js)$/.test(e.name) ? [path.join(dir, e.name)] : []));
}
const shipped = [...sources(path.join(ROOT, 'server', 'src')), ...sources(path.join(ROOT, 'client', 'src'))];

describe('safety', () => {
  it('no shipped source uses a network module or API', () => {
    const offenders = shipped.filter((f) => /from ['"](node:)?(http|https|http2|net|tls|dgram|dns|undici)['"]|require\(['"](node:)?(http|https|http2|net|tls|dgram|dns)['"]\)|\bfetch\(|XMLHttpRequest|new WebSocket/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('no shipped source evaluates code or loads modules chosen at run time (configuration is data only)', () => {
    const offenders = shipped.filter((f) => /\beval\(|new Function\(|\brequire\([^'"]|\bimport\([^'"]|child_process|\bvm\b.*from/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('declares support for untrusted workspaces', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe(true);
  });

  it('is release-ready: icon (128×128 PNG, packaged), categories, keywords, repository, license, Japanese and English names', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const icon = fs.readFileSync(path.join(ROOT, pkg.icon));
    expect(icon.subarray(1, 4).toString()).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
    expect(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')).toContain(`!${pkg.icon}`);
    expect(pkg.categories.length).toBeGreaterThan(0);
    expect(pkg.keywords).toContain('情報セキュリティポリシー');
    expect(pkg.repository.url).toBeTruthy();
    expect(pkg.license).toBe('MIT');
    for (const nls of ['package.nls.json', 'package.nls.ja.json']) {
      const strings = JSON.parse(fs.readFileSync(path.join(ROOT, nls), 'utf8'));
      for (const key of ['displayName', 'description']) expect(pkg[key]).toBe(`%${key}%`), expect(strings[key], `${nls} ${key}`).toBeTruthy();
    }
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.ja.json'), 'utf8')).displayName).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });
});
