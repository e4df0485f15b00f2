import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { TestClient, SERVER } from './lsp-client';
import type { CodeAction, DocumentSymbol, Hover, LocationLink, FoldingRange } from 'vscode-languageserver-protocol';

const POLICY = [
  '---', 'lgpolicy: true', 'guideline: 令和7年3月', 'excerpt: true', '---', '', '# 情報セキュリティ対策基準', '',
  '## 8.3 外部サービスの利用（自治体機密性2以上の情報を取り扱う場合）', '',
  '(1) 外部サービスの利用に係る規定の整備', '',
  '① 外部サービスを利用してよい業務の範囲を定める外部サービス利用判断基準', '',
  '② 外部サービス提供者の選定基準', '',
  '③ 外部サービスごとに外部サービス管理者を指名し、利用状況を管理すること', '',
  '## 6.1 コンピュータ及びネットワークの管理', '',
  '(1) 職員等は、暗号化又はパスワード設定を行わなければならない。', '',
  '(2) 統括情報セキュリティ責任者は、第3条の手続を定める。', '',
  '(4) CISOは、SLAを確認する。', '',
].join('\n');

describe('language server over stdio', () => {
  let client: TestClient;
  beforeAll(async () => {
    if (!fs.existsSync(SERVER)) throw new Error('dist/server.js is missing: run npm run build');
    client = new TestClient();
    await client.initialize();
  });
  afterAll(async () => client?.close());

  it('publishes diagnostics with rule codes, Japanese messages and docs links', async () => {
    const uri = await client.open('policy.md', POLICY);
    const diags = await client.diagnosticsFor(uri);
    const codes = diags.map((d) => d.code).sort();
    expect(codes).toEqual(['encryption-or-password', 'numbering-sequence', 'required-elements']);
    const missing = diags.find((d) => d.code === 'required-elements')!;
    expect(missing.message).toContain('利用申請の許可権限者及び利用手続');
    expect(missing.message).toContain('8.3(1)');
    expect(missing.range.start.line).toBe(10);
    expect(diags.find((d) => d.code === 'numbering-sequence')!.message).toContain('(3) が抜けている');
    expect(missing.codeDescription?.href).toMatch(/^file:.*docs\/rules\/required-elements\.md$/);
    const docPath = new URL(missing.codeDescription!.href).pathname;
    expect(fs.existsSync(decodeURIComponent(docPath))).toBe(true);
  });

  it('keeps a software README quiet but still answers hover there', async () => {
    const uri = await client.open('README.md', '# my-tool\n\n## インストール手順\n\nEDR と SLA の説明。\n\n(1) 一\n\n(3) 三\n');
    expect(await client.diagnosticsFor(uri)).toEqual([]);
    const hover = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 1 } })) as Hover;
    expect(JSON.stringify(hover.contents)).toContain('EDR');
  });

  it('answers hover on a guideline term and on a role', async () => {
    const uri = client.uri('policy.md');
    const line = POLICY.split('\n').findIndex((l) => l.startsWith('(4)'));
    const term = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 10 } })) as Hover;
    const termText = (term.contents as { value: string }).value;
    expect(termText).toContain('**SLA**');
    expect(termText).toContain('令和7年3月版');
    const role = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 5 } })) as Hover;
    expect((role.contents as { value: string }).value).toContain('最高情報セキュリティ責任者');
  });

  it('applies the quick fixes: the encryption wording and the missing model clause', async () => {
    const uri = client.uri('policy.md');
    let diags = await client.diagnosticsFor(uri);
    const enc = diags.find((d) => d.code === 'encryption-or-password')!;
    let actions = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: enc.range, context: { diagnostics: [enc] } })) as CodeAction[];
    const replace = actions.find((a) => a.title.includes('「暗号化」に置き換える'))!;
    await client.edit(uri, replace.edit!.changes![uri]);
    expect(client.text(uri)).toContain('(1) 職員等は、暗号化を行わなければならない。');
    diags = await client.diagnosticsFor(uri);
    expect(diags.map((d) => d.code)).not.toContain('encryption-or-password');

    const missing = diags.find((d) => d.code === 'required-elements')!;
    actions = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: missing.range, context: { diagnostics: [missing] } })) as CodeAction[];
    const insert = actions.find((a) => a.title.startsWith('モデル条文'))!;
    expect(insert.isPreferred).toBe(true);
    await client.edit(uri, insert.edit!.changes![uri]);
    const text = client.text(uri);
    // Inserted in guideline order: the new ③, and the manager clause renumbered to ④.
    expect(text).toMatch(/\n\n③ .*許可権限者.*\n\n④ 外部サービスごとに外部サービス管理者を指名/);
    diags = await client.diagnosticsFor(uri);
    expect(diags.map((d) => d.code)).not.toContain('required-elements');
  });

  it('returns the clause outline as document symbols, folding ranges and go-to-definition', async () => {
    const uri = await client.open('kitei.md', ['# 東西市文書規程', '', '第1章 総則', '', '（目的）', '第1条 目的を定める。', '', '（手続）', '第2条 第1条の目的のために手続を定める。', '2 前項の手続は公表する。', '(1) 一号', '(2) 二号'].join('\n'));
    const symbols = (await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    const names = (s: DocumentSymbol): unknown => (s.children?.length ? { [s.name]: s.children.map(names) } : s.name);
    expect(symbols.map(names)).toEqual([{ '東西市文書規程': [{ '第1章 総則': ['第1条 （目的）', { '第2条 （手続）': [{ '2 前項の手続は公表する。': ['(1) 一号', '(2) 二号'] }] }] }] }]);
    const folds = (await client.conn.sendRequest('textDocument/foldingRange', { textDocument: { uri } })) as FoldingRange[];
    expect(folds).toContainEqual(expect.objectContaining({ startLine: 8, endLine: 11 }));
    const def = (await client.conn.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 8, character: 5 } })) as LocationLink[];
    expect(def[0].targetRange.start.line).toBe(5);
  });

  it('completes term and role names', async () => {
    const uri = await client.open('typing.md', '# 情報セキュリティ実施手順\n\n統括情報');
    await client.diagnosticsFor(uri);
    const items = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 4 } })) as { label: string; textEdit: { range: { start: { character: number } } } }[];
    const item = items.find((i) => i.label === '統括情報セキュリティ責任者')!;
    expect(item.textEdit.range.start.character).toBe(0);
  });

  it('answers the coverage request with the checklist and its HTML', async () => {
    const uri = client.uri('policy.md');
    const result = (await client.conn.sendRequest('lgpolicy/coverage', { uri, nonce: 'abc' })) as { html: string; report: { sections: { id: string; elements: { id: string; status: string; line?: number }[] }[] } };
    const ext = result.report.sections.find((s) => s.id === 'external-service-sensitive')!;
    const rules = ext.elements.filter((e) => ['usage-criteria', 'approval-authority-procedure'].includes(e.id));
    expect(rules.map((e) => e.status)).toEqual(['present', 'present']);
    expect(result.html).toContain("script-src 'nonce-abc'");
    expect(result.html).toContain('ガイドライン対応状況');
  });

  it('takes a settings change (rule off) without a restart', async () => {
    const uri = client.uri('policy.md');
    client.settings = { rules: { 'numbering-sequence': 'off' } };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await new Promise((r) => setTimeout(r, 400));
    const diags = await client.diagnosticsFor(uri);
    expect(diags.map((d) => d.code)).not.toContain('numbering-sequence');
    client.settings = {};
  });

  it('checks a document as soon as it is opened: the debounce waits for typing only', async () => {
    const slow = new TestClient();
    slow.settings = { debounceMs: 5000 };
    try {
      await slow.initialize();
      // The server asks for the settings after initializing; asked again here, they are read before the document opens.
      await slow.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await new Promise((r) => setTimeout(r, 500));
      const uri = await slow.open('slow.md', POLICY);
      // Before the debounce (the largest setting, 5 s) would have let a first analysis run.
      expect((await slow.diagnosticsFor(uri, 4000)).map((d) => d.code)).toContain('required-elements');
    } finally {
      await slow.close();
    }
  });

  it('with no debounce (lgpolicy.debounceMs 0), edits sent back to back end with the diagnostics of the last version', async () => {
    const quick = new TestClient();
    quick.settings = { debounceMs: 0 };
    try {
      await quick.initialize();
      const fixed = POLICY.replace('暗号化又はパスワード設定', '暗号化');
      const uri = await quick.open('quick.md', fixed);
      expect((await quick.diagnosticsFor(uri)).map((d) => d.code)).not.toContain('encryption-or-password');
      const end = () => quick.docs.get(uri)!.positionAt(quick.text(uri).length);
      // Five changes without waiting: the last one brings the wording back.
      for (const piece of ['(5) ', '職員等は', '、', '暗号化又はパスワード設定', 'を行う。\n']) {
        await quick.edit(uri, [{ range: { start: end(), end: end() }, newText: piece }]);
      }
      const diags = await quick.diagnosticsFor(uri);
      const found = diags.filter((d) => d.code === 'encryption-or-password');
      expect(found).toHaveLength(1);
      expect(found[0].range.start.line).toBe(quick.text(uri).split('\n').length - 2);
    } finally {
      await quick.close();
    }
  });

  it('reports its own processing time of each change to a benchmark that asks (initializationOptions.reportTiming), and to nobody else', async () => {
    const timings = (c: TestClient) => {
      const got: { uri: string; version: number; ms: number }[] = [];
      c.conn.onNotification('lgpolicy/timing', (p: { uri: string; version: number; ms: number }) => { got.push(p); });
      return got;
    };
    const bench = new TestClient();
    const editor = new TestClient();
    try {
      const benchTimings = timings(bench);
      const editorTimings = timings(editor);
      bench.settings = editor.settings = { debounceMs: 0 };
      await bench.initialize({ reportTiming: true });
      await editor.initialize();
      for (const c of [bench, editor]) {
        const uri = await c.open('timed.md', POLICY);
        await c.diagnosticsFor(uri);
        await c.edit(uri, [{ range: { start: { line: 6, character: 2 }, end: { line: 6, character: 2 } }, newText: 'あ' }]);
        await c.diagnosticsFor(uri);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(benchTimings).toHaveLength(1);
      expect(benchTimings[0]).toMatchObject({ uri: bench.uri('timed.md'), version: 2 });
      expect(benchTimings[0].ms).toBeGreaterThanOrEqual(0);
      expect(editorTimings).toHaveLength(0);
    } finally {
      await bench.close();
      await editor.close();
    }
  });

  it('reads .lgpolicy.json and survives an invalid one', async () => {
    fs.writeFileSync(path.join(client.dir, '.lgpolicy.json'), '{ "rules": { "required-elements": "off" ');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [] });
    const uri = await client.open('second.md', POLICY);
    const diags = await client.diagnosticsFor(uri);
    expect(diags.map((d) => d.code)).toContain('required-elements');
    fs.writeFileSync(path.join(client.dir, '.lgpolicy.json'), '{ "rules": { "required-elements": "off" } }');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [] });
    await new Promise((r) => setTimeout(r, 400));
    expect((await client.diagnosticsFor(uri)).map((d) => d.code)).not.toContain('required-elements');
  });

  it('puts the problems of an open .lgpolicy.json on the file itself, at the key, and nothing else there', async () => {
    const broken = '{\n  "rules": { "no-such-rule": "off", "required-elements": "loud" },\n  "guideline": "R99"\n}\n';
    fs.mkdirSync(path.join(client.dir, 'sub'), { recursive: true });
    const uri = await client.open('sub/.lgpolicy.json', broken);
    const diags = await client.diagnosticsFor(uri);
    expect(diags.length).toBe(3);
    for (const d of diags) {
      expect(d.code).toBe('config');
      expect(String(d.message)).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    }
    const at = (word: string) => diags.find((d) => String(d.message).includes(word))!.range.start;
    expect(at('no-such-rule')).toEqual({ line: 1, character: broken.split('\n')[1].indexOf('"no-such-rule"') });
    expect(at('guideline').line).toBe(2);
    // Invalid JSON: one diagnostic where parsing stopped.
    await client.edit(uri, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 1 } }, newText: '' }]);
    const invalid = await client.diagnosticsFor(uri);
    expect(invalid.length).toBe(1);
    expect(String(invalid[0].message)).toContain('JSON');
    // The Markdown features leave the file alone.
    expect(await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 5 } })).toBeNull();
    // A valid file: no diagnostics.
    await client.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } }, newText: '{ "rules": { "required-elements": "off" } }\n' }]);
    expect(await client.diagnosticsFor(uri)).toEqual([]);
  });
});

describe('the stdio transport', () => {
  /** Starts the server, sends `messages` (JSON-RPC, framed), then closes its stdin: its exit code, and what it wrote. */
  function run(messages: object[]): Promise<{ code: number | null; out: string }> {
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    for (const m of messages) {
      const body = JSON.stringify(m);
      proc.stdin.write(`Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`);
    }
    const exited = new Promise<{ code: number | null; out: string }>((resolve) => proc.on('exit', (code) => resolve({ code, out })));
    // Closed once the replies are out, as an editor does when it goes away.
    const replies = messages.filter((m) => 'id' in m).length;
    const close = () => { if ((out.match(/"id":/g) ?? []).length >= replies) proc.stdin.end(); else setTimeout(close, 20); };
    close();
    return exited;
  }

  it('answers in framed messages and ends when the editor closes stdin (code 0 after shutdown, 1 without)', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };
    const orderly = await run([init, { jsonrpc: '2.0', method: 'initialized', params: {} }, { jsonrpc: '2.0', id: 2, method: 'shutdown' }]);
    expect(orderly.code).toBe(0);
    const first = /^Content-Length: (\d+)\r\n\r\n/.exec(orderly.out);
    expect(first).not.toBeNull();
    const body = Buffer.from(orderly.out.slice(first![0].length), 'utf8').subarray(0, Number(first![1])).toString('utf8');
    expect(JSON.parse(body)).toMatchObject({ id: 1, result: { capabilities: { hoverProvider: true } } });
    expect((await run([init])).code).toBe(1);
  }, 20_000);
});
