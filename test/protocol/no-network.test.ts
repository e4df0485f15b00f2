/**
 * Nothing goes over the network: the server and the CLI run with every network API replaced by
 * a trap (test/fixtures/no-network.cjs) and must work without ever touching one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient } from './lsp-client';

const ROOT = path.resolve(__dirname, '../..');
const TRAP = ['--require', path.join(ROOT, 'test/fixtures/no-network.cjs')];
const CLI = path.join(ROOT, 'dist/cli.js');
const MARK = 'LGPOLICY-NETWORK-ATTEMPT';

describe('no network access', () => {
  let client: TestClient | undefined;
  afterAll(async () => client?.close());

  it('the trap works (a network call is caught)', () => {
    const r = spawnSync(process.execPath, [...TRAP, '-e', "try { require('node:https').get('https://example.invalid') } catch {}"], { encoding: 'utf8' });
    expect(r.stderr).toContain(MARK);
  });

  it('the CLI checks, reports coverage and exports the dictionary without the network', () => {
    const policy = path.join(ROOT, 'examples/taisaku-kijun.md');
    for (const args of [['check', path.join(ROOT, 'examples'), '--format', 'sarif'], ['coverage', policy, '--format', 'html'], ['export-prh'], ['rules']]) {
      const r = spawnSync(process.execPath, [...TRAP, CLI, ...args], { encoding: 'utf8', cwd: ROOT });
      expect(r.stderr, args.join(' ')).not.toContain(MARK);
      expect(r.status, args.join(' ')).not.toBe(2);
      expect(r.stdout.length).toBeGreaterThan(100);
    }
  });

  it('the language server answers every feature without the network', async () => {
    client = new TestClient(TRAP);
    await client.initialize();
    const text = fs.readFileSync(path.join(ROOT, 'examples/taisaku-kijun.md'), 'utf8');
    const uri = await client.open('policy.md', text);
    const diags = await client.diagnosticsFor(uri);
    expect(diags.length).toBeGreaterThan(0);
    const line = text.split('\n').findIndex((l) => l.includes('暗号化'));
    const position = { line, character: text.split('\n')[line].indexOf('暗号化') + 1 };
    expect(await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position })).not.toBeNull();
    const actions = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } });
    expect(Array.isArray(actions) && actions.length > 0).toBe(true);
    expect(await client.conn.sendRequest('lgpolicy/coverage', { uri })).not.toBeNull();
    expect(client.stderr).not.toContain(MARK);
    expect(client.proc.exitCode).toBeNull();
  });
});
