import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { consoleToClient, ImmediateStreamWriter, stdioTransport } from '../../server/src/lsp/stdio';

const diagnostics: Message & { method: string; params: unknown } = {
  jsonrpc: '2.0',
  method: 'textDocument/publishDiagnostics',
  params: { uri: 'file:///規程.md', version: 3, diagnostics: [{ message: '「暗号化又はパスワード設定」は、パスワードだけで済むと読めます。' }] },
};

/** A stream that records what was written to it, chunk by chunk. */
function recorder() {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return { stream, chunks };
}

describe('the stdio writer', () => {
  it('hands a message to stdout at once, with its length in bytes (not characters)', () => {
    const { stream, chunks } = recorder();
    const writer = new ImmediateStreamWriter(stream);
    void writer.write(diagnostics);
    // Written before control returns: no turn of the event loop in between.
    expect(chunks).toHaveLength(1);
    const [header, body] = chunks[0].split('\r\n\r\n');
    expect(header).toBe(`Content-Length: ${Buffer.byteLength(body, 'utf8')}`);
    expect(Buffer.byteLength(body, 'utf8')).toBeGreaterThan(body.length); // Japanese text: more bytes than characters
    expect(JSON.parse(body)).toEqual(diagnostics);
  });

  it('keeps messages in order, and a client reader reads them back whole', async () => {
    const pipe = new PassThrough();
    const writer = new ImmediateStreamWriter(pipe);
    const reader = new StreamMessageReader(pipe);
    const got: Message[] = [];
    const all = new Promise<void>((resolve) => reader.listen((m) => { got.push(m); if (got.length === 3) resolve(); }));
    const sent = [1, 2, 3].map((version) => ({ ...diagnostics, params: { ...(diagnostics.params as object), version } }));
    await Promise.all(sent.map((m) => writer.write(m)));
    await all;
    expect(got).toEqual(sent);
    reader.dispose();
  });

  it('reports a failed write as an error of the connection, not a crash', async () => {
    const broken = new Writable({ write(_chunk, _enc, done) { done(new Error('EPIPE')); } });
    broken.on('error', () => undefined);
    const writer = new ImmediateStreamWriter(broken);
    const errors: unknown[] = [];
    writer.onError(([e]) => errors.push(e));
    await expect(writer.write(diagnostics)).rejects.toThrow('EPIPE');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('is used only when the server is started with --stdio', () => {
    expect(stdioTransport(['node', 'dist/server.js', '--node-ipc'])).toBeUndefined();
    expect(stdioTransport(['node', 'dist/server.js'])).toBeUndefined();
    const transport = stdioTransport(['node', 'dist/server.js', '--stdio']);
    expect(transport?.input).toBe(process.stdin);
    expect(transport?.writer).toBeInstanceOf(ImmediateStreamWriter);
  });
});

describe('console output over stdio', () => {
  const saved = { ...console };
  afterEach(() => Object.assign(console, saved));

  it('goes to the client log, so that it cannot corrupt the protocol on stdout', () => {
    const logged: string[] = [];
    consoleToClient({ log: (m) => logged.push(`log ${m}`), info: (m) => logged.push(`info ${m}`), warn: (m) => logged.push(`warn ${m}`), error: (m) => logged.push(`error ${m}`) });
    console.log('規程', { n: 1 });
    console.warn('注意');
    console.error('失敗');
    expect(logged).toEqual(['log 規程 { n: 1 }', 'warn 注意', 'error 失敗']);
  });
});
