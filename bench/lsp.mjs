// Language-server latency benchmark: a minimal LSP client over stdio that opens one large
// document, types into it, then sends hover and code-action requests, timing each round trip.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { prng } from './generate.mjs';

// CommonJS packages, loaded from the project's node_modules.
const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

/** Settings that exclude the debounce from the measured typing latency. */
const SETTINGS = { debounceMs: 0 };
/** Characters typed by the insertions; '\n' is added occasionally on top of these. */
const TYPED = ['あ', '、', 'a', ' '];
/** Terms with hover information, used to aim half of the hover requests. */
const TERMS = ['統括情報セキュリティ責任者', 'EDR', '外部サービス', '自治体機密性'];
/** The pause after the last request before the memory is read once more (ms). */
const PAUSE_MS = 3000;
/** Upper bound for one server answer; exceeding it aborts the benchmark. */
const TIMEOUT_MS = 60_000;

/** VmRSS and VmHWM of a process in MB, from /proc (null where /proc is unavailable). */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/**
 * Offsets [start, end) of an edit region: the whole document, its first line, or its last
 * non-empty line (the line break excluded).
 */
function regionBounds(text, region) {
  if (region === 'first') return { start: 0, end: text.indexOf('\n') };
  if (region === 'last') {
    const end = text.trimEnd().length;
    return { start: text.lastIndexOf('\n', end - 1) + 1, end };
  }
  return { start: 0, end: text.length };
}

/** Kinds of edits, for the breakdown of the typing latency (labels as in bench/RESULTS.md). */
const EDIT_KINDS = {
  fence: '先頭行（フロントマターの区切り線）',
  lineBreak: '改行の入力・削除',
  lineStart: '行頭の 1 文字（番号・見出しの記号が変わりうる）',
  text: 'それ以外（文中の 1 文字）',
};

/**
 * The kind of an edit of `text` at `at`: inserting `inserted` ('' for a deletion of the character
 * at `at`), in region `region` (regionBounds).
 */
function editKind(text, at, inserted, region) {
  if (region === 'first') return 'fence';
  if (inserted === '\n' || (inserted === '' && (text[at] === '\n' || text[at] === '\r'))) return 'lineBreak';
  if (at === 0 || text[at - 1] === '\n') return 'lineStart';
  return 'text';
}

/** p50 / p95 / max of a list of milliseconds (nearest-rank percentiles). */
function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: rank(50), p95: rank(95), max: sorted[sorted.length - 1], count: sorted.length };
}

/**
 * Runs the benchmark against `node <serverPath> --stdio` on `file` (already on disk).
 * counts: { edits, hovers, codeActions }. Progress goes to `log`.
 */
export async function benchLanguageServer({ serverPath, file, counts, seed = 42, log }) {
  const rand = prng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const text = readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).toString();

  const proc = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  let exited = null;
  proc.on('exit', (code, signal) => (exited = `server exited (code ${code}, signal ${signal})`));
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));

  // Every publishDiagnostics for our document, stamped on arrival; waiters are woken on each.
  const publishes = [];
  let wake = () => {};
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    publishes.push({ at: performance.now(), params: p });
    wake();
  });
  // The server's own processing time of each change (initializationOptions.reportTiming), by version.
  const timings = new Map();
  conn.onNotification('lgpolicy/timing', (p) => {
    if (p.uri !== uri) return;
    timings.set(p.version, p.ms);
    wake();
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => SETTINGS));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('window/showMessageRequest', () => null);
  conn.onNotification('window/showMessage', () => undefined);
  conn.onNotification('window/logMessage', () => undefined);
  conn.listen();

  /** Waits for the first publish after index `from` that is for `version` (or carries no version). */
  async function diagnosticsFor(version, from) {
    const deadline = performance.now() + TIMEOUT_MS;
    for (;;) {
      const hit = publishes.slice(from).find((e) => e.params.version === undefined || e.params.version === version);
      if (hit) return hit;
      if (exited) throw new Error(`${exited}\n${stderr}`);
      if (performance.now() > deadline) throw new Error(`no diagnostics for version ${version} within ${TIMEOUT_MS} ms\n${stderr}`);
      await nextMessage(1000);
    }
  }

  /** Resolves when a notification of ours arrives, or after `ms`. */
  function nextMessage(ms) {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => { clearTimeout(t); resolve(); };
    });
  }

  /** The server's own processing time of `version`, once reported (undefined if it reports none within a second). */
  async function serverTimeOf(version) {
    const deadline = performance.now() + 1000;
    while (!timings.has(version) && performance.now() < deadline && !exited) await nextMessage(50);
    return timings.get(version);
  }

  /** Sends a request and returns its round-trip time in ms and the result. */
  async function timed(method, params) {
    const t0 = performance.now();
    const result = await conn.sendRequest(method, params);
    return { ms: performance.now() - t0, result };
  }

  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dirname(file)).toString(),
      workspaceFolders: null,
      initializationOptions: { settings: SETTINGS, reportTiming: true },
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, hover: { contentFormat: ['markdown'] } },
      },
    });
    await conn.sendNotification('initialized', {});

    // Open and wait for the first diagnostics.
    let doc = TextDocument.create(uri, 'markdown', 1, text);
    log(`  didOpen (${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB, ${text.length} characters)`);
    const openStart = performance.now();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    const opened = await diagnosticsFor(1, 0);
    const openMs = opened.at - openStart;
    const initialDiagnostics = opened.params.diagnostics.length;
    const memoryAfterOpen = memoryOf(proc.pid);

    // Typing: pairs of (insert one character, delete one character). Most pairs land anywhere
    // in the document; some are aimed at the first and the last non-empty line. On the first
    // line (the front matter fence) the deletion removes the character just inserted, so the
    // front matter — and with it the policy declaration — survives.
    // Two measures per edit: the server's own processing (from the change's arrival to its
    // diagnostics written, as the server reports it) and the round trip seen by this client.
    const editMs = [];
    const serverEditMs = [];
    // What each edit was (EDIT_KINDS), for the breakdown by kind; in step with editMs.
    const editKinds = [];
    let last = opened;
    let pairRegion = 'any';
    let insertedAt = 0;
    for (let i = 0; i < counts.edits; i++) {
      const current = doc.getText();
      const insert = i % 2 === 0;
      if (insert) pairRegion = rand() < 0.1 ? 'first' : rand() < 0.1 ? 'last' : 'any';
      const { start, end } = regionBounds(current, pairRegion);
      let at;
      let change;
      if (insert) {
        at = start + Math.floor(rand() * (end - start + 1));
        insertedAt = at;
        change = { range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: rand() < 0.1 ? '\n' : pick(TYPED) };
      } else {
        at = pairRegion === 'first' ? insertedAt : start + Math.floor(rand() * (end - start));
        change = { range: { start: doc.positionAt(at), end: doc.positionAt(at + 1) }, text: '' };
      }
      editKinds.push(editKind(current, at, change.text, pairRegion));
      const version = doc.version + 1;
      doc = TextDocument.update(doc, [change], version);
      const from = publishes.length;
      const t0 = performance.now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      last = await diagnosticsFor(version, from);
      editMs.push(last.at - t0);
      const own = await serverTimeOf(version);
      if (own !== undefined) serverEditMs.push(own);
      if ((i + 1) % 25 === 0) log(`  edit ${i + 1}/${counts.edits}`);
    }
    // The server's own processing where it reported it for every edit, else the round trip.
    const byServer = serverEditMs.length === editMs.length;
    const measured = byServer ? serverEditMs : editMs;
    const memoryAfterEdits = memoryOf(proc.pid);
    const finalText = doc.getText();
    const finalDiagnostics = last.params.diagnostics;

    // Hover: half on occurrences of known terms, half at random offsets.
    const occurrences = TERMS.flatMap((term) => [...finalText.matchAll(new RegExp(term, 'g'))].map((m) => ({ start: m.index, length: term.length })));
    const hoverMs = [];
    let hoverHits = 0;
    for (let i = 0; i < counts.hovers; i++) {
      let offset;
      if (i % 2 === 0 && occurrences.length > 0) {
        const o = pick(occurrences);
        offset = o.start + Math.floor(rand() * o.length);
      } else {
        offset = Math.floor(rand() * finalText.length);
      }
      const { ms, result } = await timed('textDocument/hover', { textDocument: { uri }, position: doc.positionAt(offset) });
      hoverMs.push(ms);
      if (result) hoverHits++;
    }
    log(`  ${counts.hovers} hovers`);

    // Code actions: three in four for a diagnostic of the last publish, the rest for a random
    // range with no diagnostics.
    const codeActionMs = [];
    let actionsReturned = 0;
    for (let i = 0; i < counts.codeActions; i++) {
      let range;
      let diagnostics;
      if (i % 4 !== 3 && finalDiagnostics.length > 0) {
        const d = pick(finalDiagnostics);
        range = d.range;
        diagnostics = [d];
      } else {
        const start = Math.floor(rand() * finalText.length);
        const end = Math.min(finalText.length, start + Math.floor(rand() * 20));
        range = { start: doc.positionAt(start), end: doc.positionAt(end) };
        diagnostics = [];
      }
      const { ms, result } = await timed('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
      codeActionMs.push(ms);
      actionsReturned += result?.length ?? 0;
    }
    log(`  ${counts.codeActions} code actions`);
    const memoryAtEnd = memoryOf(proc.pid);
    // The user stops typing: the server gives memory back after a pause (server/src/node/heap.ts).
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    const memoryAfterPause = memoryOf(proc.pid);

    return {
      openMs,
      initialDiagnostics,
      finalDiagnostics: finalDiagnostics.length,
      publishCarriesVersion: publishes.every((e) => e.params.version !== undefined),
      edits: { ...percentiles(measured), measure: byServer ? 'server' : 'round trip' },
      editRoundTrip: percentiles(editMs),
      // The same measure by kind of edit (only the kinds that occurred), in EDIT_KINDS order.
      editsByKind: Object.keys(EDIT_KINDS).map((kind) => {
        const values = measured.filter((_, i) => editKinds[i] === kind);
        return values.length ? { kind, label: EDIT_KINDS[kind], ...percentiles(values) } : undefined;
      }).filter(Boolean),
      hover: { ...percentiles(hoverMs), hits: hoverHits, termOccurrences: occurrences.length },
      codeAction: { ...percentiles(codeActionMs), actionsReturned },
      memory: { afterOpen: memoryAfterOpen, afterEdits: memoryAfterEdits, atEnd: memoryAtEnd, afterPause: memoryAfterPause },
    };
  } finally {
    try {
      await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await conn.sendNotification('exit');
    } catch { /* already gone */ }
    conn.dispose();
    if (!exited) proc.kill();
  }
}
