/**
 * The LG Policy language server. Thin: it keeps documents and settings, calls the
 * engine and converts results to LSP. Transport: --stdio (messages written at once, see stdio.ts)
 * or --node-ipc (auto-detected).
 */
import '../node/regexp-guard';
import { afterAnalysis, growYoungGeneration, youngGenerationWatch } from '../node/heap';
import { favourMainThread } from '../node/cpu';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, CompletionItemKind, createConnection, DiagnosticSeverity, DidChangeConfigurationNotification, DocumentSymbol, FoldingRange, MarkupKind,
  ProposedFeatures, SymbolKind, TextDocuments, TextDocumentSyncKind, type CodeAction, type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { consoleToClient, stdioTransport } from './stdio';
import { analyze, type Analysis } from '../engine/engine';
import { Memo } from '../engine/memo';
import { mergeConfig, parseConfigText, validateConfig, formatProblem, type ConfigProblem, type ResolvedConfig } from '../engine/config';
import { loadDictionaries } from '../node/dictionaries';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RULE_NAMES } from '../engine/rules';
import { configForFile, readConfigFile } from '../node/config-files';
import { hoverAt } from '../features/hover';
import { completionFor } from '../features/completion';
import { LineIndex } from '../engine/text';
import { NEWEST_REVISION } from '../engine/model/metadata';
import { coverageHtml, coverageReport } from '../features/coverage';
import { definitionAt, foldingSpans, outlineSymbols, type OutlineSymbol } from '../features/symbols';
import { safeFixes, toCodeAction, toDiagnostic, toEdits } from './convert';

const stdio = stdioTransport();
// A stream in, a MessageWriter out: the library takes either for each (it tests which it got),
// though its typings offer only both streams or both reader and writer.
const connection = stdio ? createConnection(ProposedFeatures.all, stdio.input, stdio.writer as unknown as NodeJS.WritableStream) : createConnection(ProposedFeatures.all);
if (stdio) consoleToClient(connection.console);
/**
 * For benchmarks (initializationOptions.reportTiming): when the last change of each open
 * document arrived, so that the time from it to its diagnostics can be reported
 * (lgpolicy/timing, after they are sent). Off for editors.
 */
let reportTiming = false;
const received = new Map<string, { version: number; at: number }>();
const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update: (doc, changes, version) => {
    if (reportTiming) received.set(doc.uri, { version, at: performance.now() });
    return TextDocument.update(doc, changes, version);
  },
});

interface Settings { debounceMs: number; maxFileSize: number; raw: Record<string, unknown> }
const DEFAULT_MAX_FILE_SIZE = 5_000_000;
let settings: Settings = { debounceMs: 150, maxFileSize: DEFAULT_MAX_FILE_SIZE, raw: {} };
let hasConfigurationCapability = false;
const configCache = new Map<string, ReturnType<typeof readConfigFile>>();
const analyses = new Map<string, { version: number; analysis: Analysis }>();
/** Per open document: what the last analysis parsed and derived, so that an edit re-examines only what changed. */
const memos = new Map<string, Memo>();
/** A pending analysis per document: a timer (debounce), or an immediate when the debounce is 0. */
const timers = new Map<string, { cancel: () => void }>();
const shownProblems = new Set<string>();

connection.onInitialize((params: InitializeParams) => {
  hasConfigurationCapability = !!params.capabilities.workspace?.configuration;
  const init = params.initializationOptions as { settings?: Record<string, unknown>; reportTiming?: unknown } | undefined;
  if (init?.settings) settings = readSettings(init.settings);
  reportTiming = init?.reportTiming === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
      documentSymbolProvider: { label: 'LG Policy' },
      foldingRangeProvider: true,
      definitionProvider: true,
      completionProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'lgpolicy', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  if (hasConfigurationCapability) {
    await connection.client.register(DidChangeConfigurationNotification.type, { section: 'lgpolicy' }).catch(() => undefined);
    await refreshSettings();
  }
});

function readSettings(raw: Record<string, unknown> | undefined): Settings {
  const r = raw ?? {};
  const debounce = typeof r.debounceMs === 'number' && r.debounceMs >= 0 && r.debounceMs <= 5000 ? r.debounceMs : 150;
  const max = typeof r.maxFileSize === 'number' && r.maxFileSize > 0 ? r.maxFileSize : DEFAULT_MAX_FILE_SIZE;
  return { debounceMs: debounce, maxFileSize: max, raw: r };
}

async function refreshSettings(): Promise<void> {
  try {
    const raw = (await connection.workspace.getConfiguration('lgpolicy')) as Record<string, unknown> | null;
    settings = readSettings(raw ?? {});
  } catch {
    /* keep the previous settings */
  }
}

connection.onDidChangeConfiguration(async (change) => {
  if (hasConfigurationCapability) await refreshSettings();
  else settings = readSettings((change.settings as { lgpolicy?: Record<string, unknown> } | undefined)?.lgpolicy);
  reanalyzeAll();
});

connection.onDidChangeWatchedFiles(() => {
  configCache.clear();
  shownProblems.clear();
  reanalyzeAll();
});

function reanalyzeAll() {
  analyses.clear();
  for (const doc of documents.all()) schedule(doc, 0);
}

function settingsConfig(): { config: Partial<ResolvedConfig>; problems: ConfigProblem[] } {
  const { rules, guideline, organization, include, exclude } = settings.raw;
  const clean = (v: unknown) => (Array.isArray(v) && v.length === 0) || v === '' || v === null ? undefined : v;
  const raw: Record<string, unknown> = {};
  if (clean(rules) !== undefined && !(typeof rules === 'object' && rules !== null && Object.keys(rules).length === 0)) raw.rules = rules;
  if (clean(guideline) !== undefined && guideline !== 'auto') raw.guideline = guideline;
  if (clean(organization) !== undefined && organization !== 'auto') raw.organization = organization;
  if (clean(include) !== undefined) raw.include = include;
  if (clean(exclude) !== undefined) raw.exclude = exclude;
  return validateConfig(raw, 'VS Code の設定 (lgpolicy.*)', RULE_NAMES);
}

function analysisFor(doc: TextDocument): Analysis {
  const cached = analyses.get(doc.uri);
  if (cached && cached.version === doc.version) return cached.analysis;
  const fromSettings = settingsConfig();
  let problems = fromSettings.problems;
  let config: ResolvedConfig;
  let globMatch: 'include' | 'exclude' | undefined;
  if (doc.uri.startsWith('file:')) {
    const fc = configForFile(fileURLToPath(doc.uri), fromSettings.config, undefined, configCache);
    config = fc.config;
    globMatch = fc.globMatch;
    problems = [...problems, ...fc.problems];
  } else {
    config = mergeConfig(fromSettings.config);
  }
  reportProblems(problems);
  let analysis: Analysis;
  let memo = memos.get(doc.uri);
  if (!memo) { memo = new Memo(true); memos.set(doc.uri, memo); }
  analysis = analyze(doc.getText(), { config, globMatch, memo, onTiming: youngGenerationWatch() });
  for (const f of analysis.failures) connection.console.error(`[lgpolicy] rule ${f.ruleId} failed on ${doc.uri}: ${f.error}`);
  analyses.set(doc.uri, { version: doc.version, analysis });
  return analysis;
}

function reportProblems(problems: ConfigProblem[]) {
  const fresh = problems.filter((p) => !shownProblems.has(formatProblem(p)));
  if (fresh.length === 0) return;
  for (const p of fresh) shownProblems.add(formatProblem(p));
  const text = fresh.map(formatProblem).join('\n');
  connection.console.warn(`[lgpolicy] 設定の問題:\n${text}`);
  void connection.window.showWarningMessage(`LG Policy の設定に問題があります（該当箇所は既定値で動作します）。${fresh.length > 1 ? `ほか${fresh.length - 1}件。` : ''}\n${formatProblem(fresh[0])}`);
}

/** .lgpolicy.json is open: it gets diagnostics for its own problems, nothing else. */
function isConfigDoc(doc: TextDocument): boolean {
  return /(^|\/)\.lgpolicy\.json$/.test(doc.uri);
}

/** Documents the Markdown features leave alone: the configuration file, and documents over the size limit. */
function skip(doc: TextDocument): boolean {
  return isConfigDoc(doc) || tooLarge(doc);
}

/**
 * Diagnostics on an open .lgpolicy.json: the same problems the server reports for the file when
 * it applies it (invalid JSON, unknown keys or rule ids, wrong values, unreadable or broken
 * dictionaries), each at the key it concerns (or where JSON.parse stopped).
 */
function validateConfigDocument(doc: TextDocument) {
  const text = doc.getText();
  const file = doc.uri.startsWith('file:') ? fileURLToPath(doc.uri) : doc.uri;
  const parsed = parseConfigText(text, file, RULE_NAMES);
  const problems = [...parsed.problems];
  if (parsed.config.dictionaries?.length && doc.uri.startsWith('file:')) problems.push(...loadDictionaries(parsed.config.dictionaries, path.dirname(file), file).problems);
  const diagnostics = problems.map((p) => {
    let start = 0, end = 0;
    const at = /position (\d+)/.exec(p.message);
    if (p.key === '(JSON)' && at) { start = Math.min(Number(at[1]), text.length); end = Math.min(start + 1, text.length); }
    else {
      // The innermost key named by the problem ("rules.foo" → "foo"), as written in the file.
      const name = p.key.split(/[.[\]]/).filter(Boolean).pop() ?? '';
      const i = name ? text.indexOf(JSON.stringify(name)) : -1;
      if (i >= 0) { start = i; end = i + JSON.stringify(name).length; }
    }
    return {
      range: { start: doc.positionAt(start), end: doc.positionAt(end) },
      severity: DiagnosticSeverity.Warning, source: 'lgpolicy', code: 'config',
      message: `${p.key}: ${p.message}`,
    };
  });
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
}

/** Documents over the size limit are not analysed (one information message instead of a frozen editor). */
function tooLarge(doc: TextDocument): boolean {
  return doc.getText().length > settings.maxFileSize;
}

function validate(doc: TextDocument) {
  if (isConfigDoc(doc)) return validateConfigDocument(doc);
  if (tooLarge(doc)) {
    const mb = (doc.getText().length / 1_000_000).toFixed(1);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [{
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information, source: 'lgpolicy', code: 'file-too-large',
      message: `この文書は大きいため（約${mb}MB）、LG Policy の検査を省略しています。上限は設定 lgpolicy.maxFileSize（文字数、既定 ${DEFAULT_MAX_FILE_SIZE.toLocaleString()}）で変えられます。`,
    }] });
    return;
  }
  let analysis: Analysis;
  try {
    analysis = analysisFor(doc);
  } catch (e) {
    connection.console.error(`[lgpolicy] analysis failed for ${doc.uri}: ${e instanceof Error ? e.stack : String(e)}`);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [] });
    return;
  }
  const diagnostics = analysis.isPolicy ? analysis.findings.map((f, i) => toDiagnostic(analysis, f, doc.uri, i)) : [];
  const sent = connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  const change = reportTiming ? received.get(doc.uri) : undefined;
  if (change?.version === doc.version) {
    // Once the message is written: the server's own processing of the change (the debounce included).
    sent.then(() => connection.sendNotification('lgpolicy/timing', { uri: doc.uri, version: doc.version, ms: performance.now() - change.at })).catch(() => undefined);
  }
  afterAnalysis();
}

function schedule(doc: TextDocument, delay = settings.debounceMs) {
  timers.get(doc.uri)?.cancel();
  const run = () => {
    timers.delete(doc.uri);
    const current = documents.get(doc.uri);
    if (current) validate(current);
  };
  // setTimeout(…, 0) waits at least 1 ms; an immediate runs once the pending messages are read
  // (a newer change that arrived with this one still replaces it).
  if (delay <= 0) { const i = setImmediate(run); timers.set(doc.uri, { cancel: () => clearImmediate(i) }); }
  else { const t = setTimeout(run, delay); timers.set(doc.uri, { cancel: () => clearTimeout(t) }); }
}

/** Documents just opened: TextDocuments fires onDidChangeContent for them too, right after onDidOpen. */
const opening = new Set<string>();
documents.onDidOpen((e) => {
  // TextDocument works out its line starts on first use, which is the first keystroke's update
  // (~5 ms for a 1 MB document, a pass over the whole text); done here, while the document is
  // opened, the first keystroke only patches them like every other one.
  void e.document.lineCount;
  opening.add(e.document.uri);
});
// An opened document is checked at once; the debounce is for typing. (Scheduled in both handlers,
// the change's debounce used to replace the open's immediate check.)
documents.onDidChangeContent((e) => schedule(e.document, opening.delete(e.document.uri) ? 0 : undefined));
documents.onDidClose((e) => {
  timers.get(e.document.uri)?.cancel();
  timers.delete(e.document.uri);
  analyses.delete(e.document.uri);
  memos.delete(e.document.uri);
  received.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

function guard<T>(name: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    connection.console.error(`[lgpolicy] ${name} failed: ${e instanceof Error ? e.stack : String(e)}`);
    return fallback;
  }
}

connection.onHover((params) => guard('hover', null, () => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || skip(doc)) return null;
  const analysis = analysisFor(doc);
  const h = hoverAt(analysis, analysis.lines.offsetAt(params.position));
  if (!h) return null;
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: analysis.lines.range(h.span) };
}));

connection.onCompletion((params) => guard('completion', [] as import('vscode-languageserver/node').CompletionItem[], () => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || skip(doc)) return [];
  // Completion reads only the current line: no re-analysis on the typing path (the last analysis gives the revision).
  const revision = analyses.get(doc.uri)?.analysis.revision ?? NEWEST_REVISION;
  const lines = new LineIndex(doc.getText());
  return completionFor(doc.getText(), doc.offsetAt(params.position), revision).map((c) => ({
    label: c.label,
    kind: c.kind === 'role' ? CompletionItemKind.Class : CompletionItemKind.Text,
    detail: c.detail,
    documentation: { kind: MarkupKind.Markdown, value: c.documentation },
    filterText: c.label,
    textEdit: { range: lines.range(c.replace), newText: c.label },
  }));
}));

connection.onCodeAction((params) => guard('codeAction', [] as CodeAction[], () => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || skip(doc)) return [];
  const analysis = analysisFor(doc);
  if (!analysis.isPolicy) return [];
  const actions: CodeAction[] = [];
  const only = params.context.only;
  const wantQuickFix = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix));
  if (wantQuickFix) {
    for (const d of params.context.diagnostics) {
      if (d.source !== 'lgpolicy') continue;
      const finding = analysis.findings.find((f) => {
        const r = analysis.lines.range(f.span);
        return f.ruleId === d.code && r.start.line === d.range.start.line && r.start.character === d.range.start.character && f.message === d.message;
      });
      for (const fix of finding?.fixes ?? []) actions.push(toCodeAction(analysis, doc.uri, fix, d));
    }
  }
  const fixes = safeFixes(analysis);
  const wantFixAll = !only || only.some((k) => CodeActionKind.SourceFixAll.startsWith(k) || k.startsWith(CodeActionKind.SourceFixAll));
  if (fixes.length > 0 && (wantFixAll || (wantQuickFix && actions.length > 0))) {
    actions.push({
      title: `LG Policy: 安全に直せる問題をすべて修正（${fixes.length}件）`,
      kind: wantFixAll && only ? CodeActionKind.SourceFixAll : CodeActionKind.QuickFix,
      edit: { changes: { [doc.uri]: fixes.flatMap((f) => toEdits(analysis, f)) } },
    });
  }
  return actions;
}));

const KIND: Record<OutlineSymbol['kind'], SymbolKind> = { heading: SymbolKind.Namespace, chapter: SymbolKind.Module, article: SymbolKind.Function, item: SymbolKind.Field };

connection.onDocumentSymbol((params) => guard('documentSymbol', [] as DocumentSymbol[], () => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || skip(doc)) return [];
  const analysis = analysisFor(doc);
  const convert = (s: OutlineSymbol): DocumentSymbol => DocumentSymbol.create(s.name || '（無題）', s.detail, KIND[s.kind], analysis.lines.range(s.span), analysis.lines.range(s.selectionSpan), s.children.map(convert));
  return outlineSymbols(analysis).map(convert);
}));

connection.onFoldingRanges((params) => guard('foldingRanges', [] as FoldingRange[], () => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || skip(doc)) return [];
  return foldingSpans(analysisFor(doc)).map((f) => FoldingRange.create(f.startLine, f.endLine));
}));

connection.onDefinition((params) => guard('definition', null, () => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || skip(doc)) return null;
  const analysis = analysisFor(doc);
  const d = definitionAt(analysis, analysis.lines.offsetAt(params.position));
  if (!d) return null;
  return [{ originSelectionRange: analysis.lines.range(d.from), targetUri: doc.uri, targetRange: analysis.lines.range(d.to), targetSelectionRange: analysis.lines.range(d.to) }];
}));

/** Custom request used by the client's 「ガイドライン対応状況を表示」 command. */
connection.onRequest('lgpolicy/coverage', (params: { uri: string; nonce?: string; cspSource?: string }) => guard('coverage', null, () => {
  const doc = documents.get(params.uri);
  if (!doc || skip(doc)) return null;
  const report = coverageReport(analysisFor(doc));
  const file = doc.uri.startsWith('file:') ? fileURLToPath(doc.uri) : doc.uri;
  return { report, html: coverageHtml(report, { file, nonce: params.nonce, cspSource: params.cspSource }) };
}));

process.on('uncaughtException', (e) => connection.console.error(`[lgpolicy] uncaught: ${e.stack ?? e}`));

// Before the first document: its analysis starts with the young generation at the size kept (node/heap.ts).
growYoungGeneration();
// Analyses before V8's helper threads when the processor is busy (node/cpu.ts).
favourMainThread();
documents.listen(connection);
connection.listen();
