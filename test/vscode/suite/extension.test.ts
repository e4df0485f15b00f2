/**
 * What a user sees, checked through VS Code's own API in a real extension host:
 * activation, diagnostics, hover, quick fix, snippet, outline, settings, coverage view.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';

const EXT_ID = 'lgpolicy.lgpolicy';
const ws = () => vscode.workspace.workspaceFolders![0].uri;
const file = (name: string) => vscode.Uri.joinPath(ws(), name);

async function until<T>(what: string, get: () => T | undefined | Promise<T | undefined>, ms = 30000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const lgpolicy = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'lgpolicy');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const hoverText = async (uri: vscode.Uri, pos: vscode.Position) => {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
};
const posOf = (doc: vscode.TextDocument, needle: string, delta = 1) => doc.positionAt(doc.getText().indexOf(needle) + delta);

describe('LG Policy in VS Code', () => {
  let doc: vscode.TextDocument;

  before(async () => {
    doc = await vscode.workspace.openTextDocument(file('policy.md'));
    await vscode.window.showTextDocument(doc);
  });

  it('activates on a policy Markdown file', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    assert.ok(ext, 'extension installed');
    await until('activation', () => ext.isActive);
  });

  it('shows diagnostics with rule codes and Japanese messages', async () => {
    const diags = await until('diagnostics', () => { const d = lgpolicy(doc.uri); return d.length >= 2 ? d : undefined; });
    const codes = diags.map(codeOf).sort();
    assert.deepStrictEqual(codes, ['encryption-or-password', 'required-elements']);
    const missing = diags.find((d) => codeOf(d) === 'required-elements')!;
    assert.match(missing.message, /「利用申請の許可権限者及び利用手続」が見当たりません（ガイドライン令和7年3月版 8\.3\(1\)③）/);
    assert.strictEqual(missing.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('keeps a README in the same workspace quiet', async () => {
    const readme = await vscode.workspace.openTextDocument(file('README.md'));
    await vscode.window.showTextDocument(readme, { preview: false });
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepStrictEqual(lgpolicy(readme.uri), []);
    // ...but hover still explains terms there
    assert.match(await hoverText(readme.uri, posOf(readme, 'EDR')), /\*\*EDR\*\*/);
    await vscode.window.showTextDocument(doc);
  });

  it('explains a term, a role and a cross-reference on hover', async () => {
    assert.match(await hoverText(doc.uri, posOf(doc, 'SLA')), /\*\*SLA\*\*.*\n[\s\S]*ガイドライン該当箇所（令和7年3月版）/);
    assert.match(await hoverText(doc.uri, posOf(doc, '統括情報セキュリティ責任者', 3)), /\*\*統括情報セキュリティ責任者\*\*.*役割/);
    assert.match(await hoverText(doc.uri, posOf(doc, '電子メールのセキュリティ管理」を参照', 2)), /参照先: \(14\) 電子メールのセキュリティ管理/);
  });

  it('applies the quick fix that inserts the model clause, and the diagnostic goes away', async () => {
    const missing = lgpolicy(doc.uri).find((d) => codeOf(d) === 'required-elements')!;
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, missing.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const insert = actions.find((a) => a.title.startsWith('モデル条文「利用申請の許可権限者及び利用手続」'));
    assert.ok(insert?.edit, `quick fix offered (got: ${actions.map((a) => a.title).join(' / ')})`);
    assert.ok(await vscode.workspace.applyEdit(insert!.edit!));
    assert.match(doc.getText(), /② 外部サービス提供者の選定基準\n\n③ .*許可権限者.*\n\n④ 外部サービスごとの外部サービス管理者/);
    await until('the diagnostic to go away', () => !lgpolicy(doc.uri).some((d) => codeOf(d) === 'required-elements' && d.message.includes('許可権限者')) || undefined);
  });

  it('expands a contributed snippet', async () => {
    const scratch = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
    const editor = await vscode.window.showTextDocument(scratch);
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'markdown', name: 'Web会議サービス：主催時の参加者管理' });
    await until('snippet text', () => /待機室|パスコード|参加者/.test(editor.document.getText()) || undefined, 10000);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showTextDocument(doc);
  });

  it('shows the clause outline as document symbols', async () => {
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
    const names = (s: vscode.DocumentSymbol): string[] => [s.name, ...s.children.flatMap(names)];
    const all = symbols.flatMap(names);
    assert.ok(all.some((n) => n.startsWith('(1) 外部サービスの利用に係る規定の整備')), all.join(' | '));
    assert.ok(all.some((n) => n.startsWith('① 外部サービスを利用してよい業務')), all.join(' | '));
  });

  it('applies settings changes without a restart (rule off, guideline revision)', async () => {
    const config = vscode.workspace.getConfiguration('lgpolicy');
    try {
      await config.update('rules', { 'encryption-or-password': 'off' }, vscode.ConfigurationTarget.Workspace);
      await until('the rule to switch off', () => !lgpolicy(doc.uri).some((d) => codeOf(d) === 'encryption-or-password') || undefined);
      const rev = await vscode.workspace.openTextDocument(file('revision.md'));
      await vscode.window.showTextDocument(rev, { preview: false });
      await until('8.3 diagnostics', () => lgpolicy(rev.uri).some((d) => d.message.includes('8.3(1)')) || undefined);
      await config.update('guideline', 'R5.3', vscode.ConfigurationTarget.Workspace);
      await until('8.2 diagnostics', () => lgpolicy(rev.uri).some((d) => d.message.includes('令和5年3月版 8.2(1)')) || undefined);
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('guideline', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.window.showTextDocument(doc);
    }
  });

  it('opens the coverage view from its command', async () => {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('lgpolicy.showCoverage');
    const tab = await until('the coverage tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('対応状況')));
    assert.ok(tab.label.includes('policy.md'));
  });
});
