/**
 * The VS Code client: starts the language server over IPC for Markdown files and
 * hosts the coverage view. Thin by design — every check lives in the server.
 */
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
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
      // The configuration file: the server reports its problems on it while it is open.
      { scheme: 'file', pattern: '**/.lgpolicy.json' },
    ],
    // .lgpolicy.json and the prh dictionaries it names (YAML): a change re-reads the configuration.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{.lgpolicy.json,*.yml,*.yaml}') },
    outputChannel: output,
  };
  client = new LanguageClient('lgpolicy', 'LG Policy', serverOptions, clientOptions);
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('lgpolicy.showOutput', () => output.show()),
    vscode.commands.registerCommand('lgpolicy.showCoverage', () => showCoverage(context)),
  );
  // Activation returns at once; the server starts in the background (requests wait for it).
  client.start().catch((e: unknown) => output.appendLine(`[lgpolicy] 言語サーバーを起動できませんでした: ${e instanceof Error ? e.message : String(e)}`));
}

const panels = new Map<string, vscode.WebviewPanel>();

/** 「ガイドライン対応状況を表示」: the coverage checklist of the active document, kept up to date while editing. */
async function showCoverage(context: vscode.ExtensionContext): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'markdown') {
    void vscode.window.showInformationMessage('ガイドライン対応状況は、Markdown の文書を開いた状態で表示できます。');
    return;
  }
  const document = editor.document;
  const uri = document.uri.toString();
  let panel = panels.get(uri);
  if (panel) {
    panel.reveal(vscode.ViewColumn.Beside);
  } else {
    panel = vscode.window.createWebviewPanel('lgpolicy.coverage', `対応状況: ${path.basename(document.fileName)}`, vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [] });
    panels.set(uri, panel);
    const p = panel;
    let timer: NodeJS.Timeout | undefined;
    const refresh = async () => {
      const nonce = randomBytes(16).toString('base64');
      const result = await client?.sendRequest<{ html: string } | null>('lgpolicy/coverage', { uri, nonce, cspSource: p.webview.cspSource });
      p.webview.html = result?.html ?? '<p>対応状況を作れませんでした。出力パネル「LG Policy」を確認してください。</p>';
    };
    const changes = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() !== uri) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 500);
    });
    p.webview.onDidReceiveMessage(async (message: { line?: number }) => {
      if (typeof message.line !== 'number') return;
      const target = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
      const pos = new vscode.Position(Math.max(0, message.line - 1), 0);
      target.selection = new vscode.Selection(pos, pos);
      target.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    }, undefined, context.subscriptions);
    p.onDidDispose(() => { changes.dispose(); if (timer) clearTimeout(timer); panels.delete(uri); });
    await refresh();
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
