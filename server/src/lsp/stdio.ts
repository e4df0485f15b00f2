/**
 * The --stdio transport, with messages written at once.
 *
 * vscode-jsonrpc's stream writer queues each message behind a semaphore that starts its write
 * with setImmediate: the diagnostics of an analysis left the server one turn of the event loop
 * later, after whatever V8 had scheduled meanwhile (its garbage-collection tasks: a median of
 * ~2 ms and up to ~30 ms per keystroke in a 1 MB document). The IPC transport, which the
 * extension uses, already sends at once; this writer does the same on stdout. Each message is one
 * write() call (header and body), so messages keep their order without a queue.
 */
import { inspect } from 'node:util';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

export class ImmediateStreamWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (e: Error) => this.fireError(e));
    stream.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let data: string;
    try {
      const body = JSON.stringify(msg);
      data = `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
    } catch (e) {
      this.failed(e, msg);
      return Promise.reject(e);
    }
    return new Promise<void>((resolve, reject) => {
      try {
        this.stream.write(data, 'utf8', (e?: Error | null) => {
          if (e) { this.failed(e, msg); reject(e); } else { this.errors = 0; resolve(); }
        });
      } catch (e) {
        this.failed(e, msg);
        reject(e);
      }
    });
  }

  end(): void {
    this.stream.end();
  }

  private failed(e: unknown, msg: Message): void {
    this.errors++;
    this.fireError(e, msg, this.errors);
  }
}

/**
 * Input and writer for createConnection() when the server was started with --stdio, else
 * undefined (IPC, sockets and pipes: the library's own transport, chosen from the arguments).
 * The input stays stdin itself: the library then exits when it closes (code 1 without a
 * shutdown request), as with its own stdio transport.
 */
export function stdioTransport(argv: readonly string[] = process.argv): { input: NodeJS.ReadableStream; writer: MessageWriter } | undefined {
  if (!argv.slice(2).includes('--stdio')) return undefined;
  return { input: process.stdin, writer: new ImmediateStreamWriter(process.stdout) };
}

/**
 * Over stdio, stdout carries the protocol: console output goes to the client's log instead (what
 * the library does itself when it opens the stdio transport).
 */
export function consoleToClient(log: { log(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void }): void {
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = (...args: unknown[]) => log.log(text(args));
  console.info = (...args: unknown[]) => log.info(text(args));
  console.debug = (...args: unknown[]) => log.log(text(args));
  console.warn = (...args: unknown[]) => log.warn(text(args));
  console.error = (...args: unknown[]) => log.error(text(args));
  console.trace = (...args: unknown[]) => log.log(`${text(args)}\n${new Error().stack ?? ''}`);
  console.dir = (arg: unknown) => log.log(inspect(arg));
}
