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
});
