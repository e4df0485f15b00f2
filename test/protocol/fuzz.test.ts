/**
 * The server survives any edit sequence: seeded random incremental edits (ranges anywhere,
 * including the end of the document and across CRLF), then the published diagnostics equal a
 * fresh analysis of the final text, every range lies inside the document, and the server is alive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient } from './lsp-client';
import { analyze } from '../../server/src/engine/engine';
import { rng } from '../unit/helpers';
import { LineIndex } from '../../server/src/engine/text';


const PIECES = ['', 'あ', '\r\n', '\n', '\r', '𠮷', '\ud800', '\u0000', '(3) ', '② ', '第9条', '暗号化又はパスワード設定', '## 8.3 外部サービス', '- ', '> ', '```\n', '|a|b|\n', '本町', '【推奨事項】'];
const EDITS = Number(process.env.LGPOLICY_FUZZ_EDITS || 400);

describe('language server under random edits', () => {
  let client: TestClient;
  beforeAll(async () => { client = new TestClient(); await client.initialize(); });
  afterAll(async () => client?.close());

  it(`stays consistent after ${EDITS} incremental edits`, { timeout: 180000 }, async () => {
    const r = rng(20261122);
    const start = fs.readFileSync(path.resolve(__dirname, '../../examples/taisaku-kijun.md'), 'utf8').replace(/\n/g, '\r\n');
    const uri = await client.open('fuzz.md', start);
    await client.diagnosticsFor(uri);
    let slowest = 0;
    for (let i = 0; i < EDITS; i++) {
      const text = client.text(uri);
      const li = new LineIndex(text);
      const a = Math.floor(r() * (text.length + 1));
      const b = Math.min(text.length, a + (r() < 0.7 ? 0 : Math.floor(r() * 40)));
      // Positions straight from offsets: may point inside a CRLF pair or past a line's end (the server must cope).
      const range = { start: li.positionAt(a), end: li.positionAt(b) };
      if (r() < 0.05) range.end = { line: li.lineCount + 3, character: 0 }; // beyond the end of the document
      await client.edit(uri, [{ range, newText: PIECES[Math.floor(r() * PIECES.length)] + (r() < 0.3 ? PIECES[Math.floor(r() * PIECES.length)] : '') }]);
      if (i % 100 === 99) await client.diagnosticsFor(uri); // let some intermediate analyses run
      if (i % 25 === 0) {
        // Requests in the middle of editing, at positions that may lie past the end: each gets an answer in time.
        const position = { line: Math.floor(r() * (li.lineCount + 2)), character: Math.floor(r() * 80) };
        const t0 = Date.now();
        await Promise.all([
          client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position }),
          client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }),
          client.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position }),
        ]);
        slowest = Math.max(slowest, Date.now() - t0);
      }
    }
    const diags = await client.diagnosticsFor(uri, 60000);
    const finalText = client.text(uri);
    const li = new LineIndex(finalText);
    for (const d of diags) {
      expect(d.range.start.line).toBeLessThan(li.lineCount);
      expect(d.range.end.line).toBeLessThan(li.lineCount);
    }
    const fresh = analyze(finalText).findings.map((f) => `${f.ruleId}@${JSON.stringify(li.range(f.span).start)}`).sort();
    expect(diags.map((d) => `${d.code}@${JSON.stringify(d.range.start)}`).sort()).toEqual(fresh);
    expect(client.proc.exitCode).toBeNull();
    // Still answers requests.
    const symbols = await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    expect(Array.isArray(symbols)).toBe(true);
    // The documented bound (README): every request is answered within 10 s, whatever the text.
    expect(slowest).toBeLessThan(10_000);
  });

  it('skips a document over the size limit with one information message', async () => {
    client.settings = { maxFileSize: 2000 };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await new Promise((r) => setTimeout(r, 300));
    const uri = await client.open('huge.md', '# 情報セキュリティ実施手順\n\n' + '(1) 一\n\n(3) 三\n\n'.repeat(300));
    const diags = await client.diagnosticsFor(uri);
    expect(diags.map((d) => [d.code, d.severity])).toEqual([['file-too-large', 3]]);
    expect(diags[0].message).toContain('lgpolicy.maxFileSize');
    client.settings = {};
  });

  it('a 10 MB document with the default limit: one information message, hover and code actions still answer', { timeout: 60000 }, async () => {
    client.settings = {};
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const line = '(1) 統括情報セキュリティ責任者は、暗号化又はパスワード設定を行わなければならない。\n';
    const uri = await client.open('ten-mb.md', '# 情報セキュリティ対策基準\n\n' + line.repeat(Math.ceil(10_000_000 / line.length)));
    const diags = await client.diagnosticsFor(uri, 30000);
    expect(diags.map((d) => d.code)).toEqual(['file-too-large']);
    expect(await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 6 } })).toBeNull();
    expect(await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } })).toEqual([]);
    // An edit that brings it under the limit makes it an ordinary document again.
    await client.edit(uri, [{ range: { start: { line: 3, character: 0 }, end: { line: 200_000, character: 0 } }, newText: '' }]);
    const after = await client.diagnosticsFor(uri, 30000);
    expect(after.map((d) => d.code)).toContain('encryption-or-password');
  });
});
