/** A minimal LSP client over stdio for the protocol tests: spawns the bundled server. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection, type PublishDiagnosticsParams, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument, type TextEdit } from 'vscode-languageserver-textdocument';

export const SERVER = path.resolve(__dirname, '../../dist/server.js');

export class TestClient {
  proc: ChildProcessWithoutNullStreams;
  conn: ProtocolConnection;
  dir: string;
  private diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private waiters: (() => void)[] = [];
  docs = new Map<string, TextDocument>();
  stderr = '';
  settings: Record<string, unknown> = {};

  /** @param nodeArgs options for node before the server script (e.g. --require a preload). */
  constructor(nodeArgs: string[] = []) {
    this.proc = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: 'pipe' });
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      this.waiters.splice(0).forEach((w) => w());
    });
    this.conn.onRequest('workspace/configuration', () => [this.settings]);
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onNotification('window/showMessage', () => undefined);
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.listen();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgpolicy-test-'));
  }

  async initialize(initializationOptions?: Record<string, unknown>): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(this.dir).toString(), workspaceFolders: null, initializationOptions,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { relatedInformation: true }, hover: { contentFormat: ['markdown'] }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } } },
    });
    await this.conn.sendNotification('initialized', {});
  }

  uri(name: string): string {
    return pathToFileURL(path.join(this.dir, name)).toString();
  }

  async open(name: string, text: string): Promise<string> {
    const uri = this.uri(name);
    fs.writeFileSync(path.join(this.dir, name), text);
    const doc = TextDocument.create(uri, 'markdown', 1, text);
    this.docs.set(uri, doc);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    return uri;
  }

  /** Applies edits on the client side and sends them as incremental changes. */
  async edit(uri: string, edits: TextEdit[]): Promise<void> {
    const doc = this.docs.get(uri)!;
    const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
    const version = doc.version + 1;
    const next = TextDocument.update(doc, sorted.map((e) => ({ range: e.range, text: e.newText })), version);
    this.docs.set(uri, next);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })) });
  }

  text(uri: string): string {
    return this.docs.get(uri)!.getText();
  }

  /** Waits for diagnostics of the document's current version. */
  async diagnosticsFor(uri: string, timeoutMs = 10000): Promise<Diagnostic[]> {
    const version = this.docs.get(uri)?.version;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = this.diagnostics.get(uri) ?? [];
      const hit = [...list].reverse().find((p) => p.version === undefined || p.version === version);
      if (hit) return hit.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} v${version}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    this.conn.dispose();
    this.proc.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
