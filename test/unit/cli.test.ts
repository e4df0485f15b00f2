import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
let dir: string;
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });

const POLICY = ['# 情報セキュリティ実施手順', '', '(1) 職員等は、暗号化又はパスワード設定を行わなければならない。', '', '(2) 二', '', '(4) 四', ''].join('\n');

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgpolicy-cli-'));
  fs.writeFileSync(path.join(dir, 'policy.md'), POLICY);
  fs.writeFileSync(path.join(dir, 'README.md'), '# my-tool\n\n(1) a\n\n(3) b\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('lgpolicy check', () => {
  it('exits 1 with errors and prints Japanese stylish output with rule ids', () => {
    const r = run('check', '.', '--no-color');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('policy.md');
    expect(r.stdout).toMatch(/3:\d+\s+警告\s+「暗号化又はパスワード設定」は.*encryption-or-password/);
    expect(r.stdout).toMatch(/7:1\s+エラー\s+\(2\) の次が \(4\) です。.*numbering-sequence/);
    expect(r.stdout).not.toContain('README.md');
    expect(r.stdout).toContain('2 件の問題（エラー 1、警告 1、情報 0、ヒント 0）／検査した文書 1 件、対象外 1 件');
  });

  it('exits 0 when there are only warnings', () => {
    fs.writeFileSync(path.join(dir, 'warn.md'), '# 情報セキュリティ実施手順\n\n暗号化又はパスワード設定を行う。\n');
    expect(run('check', 'warn.md').status).toBe(0);
  });

  it('writes json, sarif and github formats', () => {
    const json = JSON.parse(run('check', 'policy.md', '--format', 'json').stdout);
    expect(json[0].messages.map((m: { ruleId: string }) => m.ruleId).sort()).toEqual(['encryption-or-password', 'numbering-sequence']);
    expect(json[0]).toMatchObject({ errorCount: 1, warningCount: 1, isPolicy: true, guideline: 'R7.3' });
    const sarif = JSON.parse(run('check', 'policy.md', '--format=sarif').stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'encryption-or-password', level: 'warning', locations: [{ physicalLocation: { artifactLocation: { uri: 'policy.md' }, region: { startLine: 3 } } }] });
    expect(sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'numbering-sequence').helpUri).toMatch(/docs\/rules\/numbering-sequence\.md$/);
    const gh = run('check', 'policy.md', '--format', 'github').stdout;
    expect(gh).toMatch(/^::warning file=policy\.md,line=3,col=\d+,endLine=3,endColumn=\d+,title=encryption-or-password::「暗号化又はパスワード設定」/m);
    expect(gh).toMatch(/^::error file=policy\.md,line=7/m);
  });

  it('exits 2 on bad usage, a missing file and a broken config file', () => {
    expect(run('check').status).toBe(2);
    expect(run('check', 'policy.md', '--format', 'xml').stderr).toContain('--format は stylish / json / sarif / github');
    expect(run('check', 'nothing.md').status).toBe(2);
    expect(run('lint', 'policy.md').status).toBe(2);
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, '.lgpolicy.json'), '{ "rules": { "nope": true } }');
    fs.writeFileSync(path.join(sub, 'p.md'), POLICY);
    const r = run('check', 'sub');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('.lgpolicy.json の「rules.nope」: ルール「nope」はありません');
  });

  it('--fix writes only safe fixes, keeps BOM and CRLF, and a second run changes nothing', () => {
    const file = path.join(dir, 'crlf.md');
    const original = '\uFEFF# 情報セキュリティ実施手順\r\n\r\n(1) 職員等は、暗号化又はパスワード設定を行う。\r\n\r\n(2) 二\r\n\r\n(4) 四\r\n';
    fs.writeFileSync(file, original);
    const r = run('check', 'crlf.md', '--fix');
    expect(r.stderr).toContain('1 件を修正しました');
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toBe(original.replace('暗号化又はパスワード設定', '暗号化'));
    expect(r.status).toBe(1); // the numbering error needs a person's judgement and remains
    run('check', 'crlf.md', '--fix');
    expect(fs.readFileSync(file, 'utf8')).toBe(after);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('lgpolicy export-prh', () => {
  it('writes the built-in dictionary in prh format that the prh loader reads without problems', async () => {
    const r = run('export-prh');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# LG Policy の用語辞書（prh 形式）/);
    const { parsePrhText } = await import('../../server/src/engine/prh');
    const parsed = parsePrhText(r.stdout, 'exported.yml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.rules.length).toBeGreaterThan(20);
    const file = path.join(dir, 'out.yml');
    expect(run('export-prh', '--out', file).status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(r.stdout);
    expect(run('export-prh', '--bogus').status).toBe(2);
    // prh compiles regex patterns with the u flag: every exported regex must be valid under it.
    const YAML = (await import('yaml')).default;
    const data = YAML.parse(r.stdout) as { rules: { pattern?: string | string[]; patterns?: string | string[] }[] };
    for (const rule of data.rules) {
      for (const p of ([] as string[]).concat(rule.pattern ?? [], rule.patterns ?? [])) {
        const m = /^\/(.*)\/([a-z]*)$/s.exec(p);
        if (m) expect(() => new RegExp(m[1], 'gmu' + m[2].replace(/[gmu]/g, '')), p).not.toThrow();
      }
    }
  });

  it('is loaded by prh itself (the engine textlint-rule-prh uses), and every spec passes there', async () => {
    const file = path.join(dir, 'for-prh.yml');
    expect(run('export-prh', '--out', file).status).toBe(0);
    const prh = await import('prh');
    const engine = prh.fromYAMLFilePath(file);
    expect(engine.rules.length).toBeGreaterThan(20);
    for (const rule of engine.rules) expect(() => rule.check(), rule.expected).not.toThrow();
    // A pattern with a hyphen (escaped by prh, invalid under its u flag when written as a string) still matches.
    const changes = engine.makeChangeSet('t.md', 'シャド-ITの対策');
    expect(changes.diffs.length).toBe(1);
  });
});

describe('lgpolicy check on many files', () => {
  it('gives the same output in worker threads as in one thread, in the order of the files', () => {
    const many = path.join(dir, 'many');
    fs.mkdirSync(many, { recursive: true });
    const sources = fs.readdirSync('test/fixtures/conformance').sort().slice(0, 12);
    sources.forEach((f, i) => fs.copyFileSync(path.join('test/fixtures/conformance', f), path.join(many, `${String(i).padStart(2, '0')}-${f}`)));
    fs.writeFileSync(path.join(many, '99-broken.md'), '---\nlgpolicy: true\n---\n# 規程\n\n暗号化又はパスワード設定を行う。\n');
    const one = spawnSync(process.execPath, [CLI, 'check', many, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, LGPOLICY_THREADS: '1' } });
    const three = spawnSync(process.execPath, [CLI, 'check', many, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, LGPOLICY_THREADS: '3' } });
    expect(three.status).toBe(one.status);
    expect(three.stdout).toBe(one.stdout);
    const files = (JSON.parse(one.stdout) as { filePath: string }[]).map((r) => path.basename(r.filePath));
    expect(files).toEqual([...files].sort());
    expect(files.length).toBe(13);
  });

  it('delivers output far larger than a pipe holds in full, with the exit code, in every format', () => {
    // 3,000 findings: the CLI exits as soon as its output is written, which must not cut it short.
    const body = Array.from({ length: 3000 }, (_, i) => `(${i + 1}) 職員等は、暗号化又はパスワード設定を行わなければならない。`).join('\n\n');
    fs.writeFileSync(path.join(dir, 'big.md'), `---\nlgpolicy: true\n---\n# 情報セキュリティ実施手順\n\n${body}\n\n(3002) 末尾\n`);
    const big = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', 'big.md', ...args], { encoding: 'utf8', cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    const json = big('--format', 'json');
    expect(json.stdout.length).toBeGreaterThan(500_000); // a pipe holds 64 KB
    const messages = (JSON.parse(json.stdout) as { messages: { ruleId: string; line: number }[] }[])[0].messages;
    expect(messages.filter((m) => m.ruleId === 'encryption-or-password')).toHaveLength(3000);
    expect(messages.some((m) => m.ruleId === 'numbering-sequence')).toBe(true);
    expect(json.status).toBe(1);
    const stylish = big('--no-color');
    expect(stylish.status).toBe(1);
    expect(stylish.stdout).toContain('3001 件の問題（エラー 1、警告 3000、情報 0、ヒント 0）');
    const sarif = big('--format', 'sarif');
    expect(JSON.parse(sarif.stdout).runs[0].results).toHaveLength(3001);
  });
});

describe('a slow user regular expression', () => {
  it('does not hang the check of a long line (V8 falls back to its linear engine; long text is read in windows)', () => {
    const work = path.join(dir, 'slow-regex');
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, '.lgpolicy.json'), JSON.stringify({ dictionaries: ['slow.yml'] }));
    // Five adjacent unbounded repetitions: polynomial backtracking (n^5) on a run of 'a' without 'c'.
    fs.writeFileSync(path.join(work, 'slow.yml'), 'version: 1\nrules:\n  - expected: c\n    pattern: /a*a*a*a*a*c/\n');
    fs.writeFileSync(path.join(work, 'doc.md'), `---\nlgpolicy: true\n---\n# 規程\n\n${'a'.repeat(200_000)}\n\nacは使わない。\n`);
    const started = Date.now();
    const r = spawnSync(process.execPath, [CLI, 'check', path.join(work, 'doc.md'), '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
    // Liveness, not speed: without the guard this runs for hours.
    expect(r.signal, `took ${Date.now() - started} ms`).toBeNull();
    const messages = JSON.parse(r.stdout)[0].messages as { ruleId: string }[];
    expect(messages.filter((m) => m.ruleId === 'user-dictionary').length).toBe(1);
  }, 70_000);
});

describe('the lgpolicy loader and its code cache', () => {
  const DIST = path.dirname(CLI);
  // A copy of the three CLI files, so that the cache can be removed or damaged without touching dist/.
  const copy = (cache: 'keep' | 'none' | 'garbage') => {
    const to = fs.mkdtempSync(path.join(os.tmpdir(), 'lgpolicy-loader-'));
    for (const f of ['cli.js', 'cli-main.js']) fs.copyFileSync(path.join(DIST, f), path.join(to, f));
    if (cache === 'keep') fs.copyFileSync(path.join(DIST, 'cli-main.cache'), path.join(to, 'cli-main.cache'));
    if (cache === 'garbage') fs.writeFileSync(path.join(to, 'cli-main.cache'), Buffer.from('not a V8 code cache'));
    return to;
  };

  it('npm run build writes a code cache that this Node.js accepts', () => {
    const probe = [
      "const fs = require('fs'), vm = require('vm');",
      "require('v8').setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');",
      `const file = ${JSON.stringify(path.join(DIST, 'cli-main.js'))};`,
      "const s = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\\n})`, { filename: file, cachedData: fs.readFileSync(file.replace(/\\.js$/, '.cache')) });",
      'process.stdout.write(String(s.cachedDataRejected));',
    ].join('\n');
    expect(spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).stdout).toBe('false');
  });

  it('gives the same results with the cache, without it, and with a damaged one', () => {
    const outputs = (['keep', 'none', 'garbage'] as const).map((mode) => {
      const to = copy(mode);
      try {
        const r = spawnSync(process.execPath, [path.join(to, 'cli.js'), 'check', 'policy.md', '--format', 'json'], { encoding: 'utf8', cwd: dir });
        expect(r.status).toBe(1);
        return r.stdout;
      } finally {
        fs.rmSync(to, { recursive: true, force: true });
      }
    });
    expect(JSON.parse(outputs[0])[0].messages.length).toBe(2);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });
});
