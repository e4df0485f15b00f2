/**
 * The VS Code client: starts the language server over IPC for Markdown files.
 * Thin by design — every check lives in the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const output = vscode.window.createOutputChannel('LG Policy', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.lgpolicy.json') },
    outputChannel: output,
  };
  client = new LanguageClient('lgpolicy', 'LG Policy', serverOptions, clientOptions);
  context.subscriptions.push(output, vscode.commands.registerCommand('lgpolicy.showOutput', () => output.show()));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
