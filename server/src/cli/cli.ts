/**
 * lgpolicy — the command line. Exit codes: 0 no errors, 1 errors reported, 2 bad usage or configuration.
 *   lgpolicy check <files or folders…> [--format stylish|json|sarif|github] [--config FILE] [--guideline R7.3]
 *   lgpolicy rules
 */
import '../node/regexp-guard';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../engine/engine';
import { fixAll } from '../engine/fix';
import { writeFileAtomic } from '../node/write';
import { formatProblem, mergeConfig, type ConfigProblem, type ResolvedConfig } from '../engine/config';
import { parseRevision } from '../engine/model/metadata';
import { RULES } from '../engine/rules';
import { configForFile, globMatch, readConfigFile } from '../node/config-files';
import { checked, github, json, sarif, stylish, counts, type Checked, type FileResult } from './formatters';
import * as os from 'node:os';
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { LineIndex } from '../engine/text';
import { coverageHtml, coverageMarkdown, coverageReport } from '../features/coverage';
import YAML from 'yaml';
import builtinPrh from '../../knowledge/prh/lgpolicy.yml';
import { escapeLiteral } from '../engine/prh';

const VERSION = '0.1.0';
const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `使い方:
  lgpolicy check <ファイルまたはフォルダ…> [--format stylish|json|sarif|github] [--config 設定ファイル] [--guideline 版] [--fix] [--exit-zero] [--hints]
  lgpolicy coverage <ファイル> [--format md|html|json] [--guideline 版]
                            ガイドラインの節・要素ごとの対応状況（チェックリスト）
  lgpolicy export-prh [--out ファイル]
                            LG Policy の用語辞書を prh 形式で書き出す（textlint-rule-prh で使えます）
  lgpolicy rules            ルールの一覧
  lgpolicy --version

終了コード: 0 = エラーなし、1 = エラーあり、2 = 使い方または設定の誤り
  --exit-zero を付けると、指摘があっても 0 で終了します（表示だけしたいとき）。
  --hints を付けると、ヒント（新しい版がある、など）も表示します。
  --fix を付けると、意味を変えずに直せる問題（安全な修正）をファイルに書き込んで直します。
`;

class UsageError extends Error {}

interface CheckOptions { paths: string[]; format: Format; config?: string; guideline?: string; color: boolean; exitZero: boolean; hints: boolean; fix: boolean }

function parseCheckArgs(args: string[]): CheckOptions {
  const opts: CheckOptions = { paths: [], format: 'stylish', color: !!process.stdout.isTTY && !process.env.NO_COLOR, exitZero: false, hints: false, fix: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name: string) => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} に値がありません。`);
      return v;
    };
    if (a === '--format' || a.startsWith('--format=') || a === '-f') {
      const f = value('--format');
      if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format は ${FORMATS.join(' / ')} のいずれかです（指定値: ${f}）。`);
      opts.format = f as Format;
    } else if (a === '--config' || a.startsWith('--config=') || a === '-c') opts.config = value('--config');
    else if (a === '--guideline' || a.startsWith('--guideline=')) opts.guideline = value('--guideline');
    else if (a === '--exit-zero') opts.exitZero = true;
    else if (a === '--hints') opts.hints = true;
    else if (a === '--fix') opts.fix = true;
    else if (a === '--no-color') opts.color = false;
    else if (a === '--color') opts.color = true;
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`不明なオプション: ${a}`);
    else opts.paths.push(a);
  }
  if (opts.paths.length === 0) throw new UsageError('検査するファイルまたはフォルダを指定してください。');
  return opts;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test', '.e2e']);

function collect(p: string, out: string[]) {
  let st: fs.Stats;
  try { st = fs.statSync(p); } catch { throw new UsageError(`ファイルまたはフォルダが見つかりません: ${p}`); }
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      const child = path.join(p, name);
      let cst: fs.Stats;
      try { cst = fs.statSync(child); } catch { continue; }
      if (cst.isDirectory()) { if (!SKIP_DIRS.has(name) && !name.startsWith('.')) collect(child, out); }
      else if (/\.(md|markdown)$/i.test(name)) out.push(child);
    }
  } else out.push(p);
}

/** One file to check, with its resolved configuration (plain data: it can go to a worker thread). */
interface Job { file: string; config: ResolvedConfig; match?: 'include' | 'exclude'; hints: boolean }

/** LGPOLICY_PROFILE=1: the model's and each rule's time on stderr (for developers). */
const PROFILE = !!process.env.LGPOLICY_PROFILE;

/** Below this many files, starting worker threads costs more than it saves. */
const PARALLEL_MIN_FILES = 8;

/**
 * Threads for many files. V8 already runs garbage collection and compilation on a second core,
 * so on a 2-core machine extra threads measured slower (bench/RESULTS.md); from 4 cores on, up to
 * 4 threads. LGPOLICY_THREADS overrides (tests use it to check that results do not depend on it).
 */
function threadCount(): number {
  const forced = Number(process.env.LGPOLICY_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, 16);
  const cores = os.availableParallelism();
  return cores >= 4 ? Math.min(cores, 4) : 1;
}

function checkFile(job: Job, fix = false): FileResult {
  const { file, config, match } = job;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { filePath: path.resolve(file), error: `読み込めません（${(e as NodeJS.ErrnoException).code ?? e}）` };
  }
  let analysis = analyze(text, { config, globMatch: match, onTiming: PROFILE ? (what, ms) => process.stderr.write(`${what} ${ms.toFixed(1)} ms\n`) : undefined });
  if (fix && analysis.isPolicy) {
    const fixed = fixAll(text, { config, globMatch: match });
    if (fixed.applied > 0) {
      try {
        writeFileAtomic(file, text, fixed.text);
        process.stderr.write(`lgpolicy: ${path.relative(process.cwd(), file) || file} で ${fixed.applied} 件を修正しました。\n`);
        analysis = fixed.analysis;
      } catch (e) {
        return { filePath: path.resolve(file), error: e instanceof Error ? e.message : String(e) };
      }
    }
  }
  // Hints (e.g. "a newer guideline revision exists") are editor-only unless asked for, as VS Code keeps them out of the Problems panel.
  if (!job.hints) analysis.findings = analysis.findings.filter((f) => f.severity !== 'hint');
  for (const f of analysis.failures) process.stderr.write(`lgpolicy: ルール ${f.ruleId} が ${file} で失敗しました: ${f.error}\n`);
  return { filePath: path.resolve(file), analysis: checked(analysis) };
}

/** A FileResult as it crosses threads: the line index is rebuilt from the text on arrival. */
type Portable = Omit<FileResult, 'analysis'> & { analysis?: Omit<Checked, 'lines'>; text?: string };

/**
 * Many files: worker threads check a share each (every core busy), this thread checks its own
 * share meanwhile; the results keep the order of the files.
 */
function checkInParallel(jobs: Job[]): FileResult[] {
  const threads = Math.max(1, Math.min(threadCount(), Math.floor(jobs.length / (PARALLEL_MIN_FILES / 2))));
  if (threads < 2) return jobs.map((j) => checkFile(j));
  // Interleaved shares: files of similar size in a folder are spread over the threads.
  const shares = Array.from({ length: threads }, (_, t) => jobs.filter((_, i) => i % threads === t));
  const buffers = shares.slice(1).map((share) => {
    const done = new SharedArrayBuffer(4);
    const flag = new Int32Array(done);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(__filename, { workerData: { lgpolicyJobs: share, port: port2, done }, transferList: [port2] });
    worker.on('error', (e) => { process.stderr.write(`lgpolicy: 並列処理のスレッドが失敗しました: ${e.message}\n`); Atomics.store(flag, 0, 2); Atomics.notify(flag, 0); });
    return { port1, flag, worker };
  });
  const mine = shares[0].map((j) => checkFile(j));
  const byFile = new Map<Job, FileResult>();
  shares[0].forEach((j, i) => byFile.set(j, mine[i]));
  buffers.forEach(({ port1, flag, worker }, w) => {
    Atomics.wait(flag, 0, 0);
    const msg = receiveMessageOnPort(port1)?.message as Portable[] | undefined;
    void worker.terminate();
    const share = shares[w + 1];
    share.forEach((job, i) => {
      const r = msg?.[i];
      // A thread that failed: check its files here instead.
      if (!r) { byFile.set(job, checkFile(job)); return; }
      byFile.set(job, r.analysis && r.text !== undefined ? { filePath: r.filePath, analysis: { ...r.analysis, lines: new LineIndex(r.text) } } : { filePath: r.filePath, error: r.error });
    });
  });
  return jobs.map((j) => byFile.get(j)!);
}

/** Worker thread: check the share, send the portable results, signal completion. */
function runWorker(data: { lgpolicyJobs: Job[]; port: MessagePort; done: SharedArrayBuffer }): void {
  const flag = new Int32Array(data.done);
  try {
    const out: Portable[] = data.lgpolicyJobs.map((job) => {
      const r = checkFile(job);
      if (!r.analysis) return { filePath: r.filePath, error: r.error };
      const { lines, ...rest } = r.analysis;
      return { filePath: r.filePath, analysis: rest, text: lines.text };
    });
    data.port.postMessage(out);
    Atomics.store(flag, 0, 1);
  } catch (e) {
    process.stderr.write(`lgpolicy: 並列処理のスレッドが失敗しました: ${e instanceof Error ? e.message : String(e)}\n`);
    Atomics.store(flag, 0, 2);
  }
  Atomics.notify(flag, 0);
}

function check(args: string[]): number {
  const opts = parseCheckArgs(args);
  const files: string[] = [];
  for (const p of opts.paths) collect(p, files);
  const problems: ConfigProblem[] = [];
  const cli: Partial<ResolvedConfig> = {};
  if (opts.guideline) {
    const r = parseRevision(opts.guideline);
    if (!r) throw new UsageError(`--guideline の版「${opts.guideline}」を認識できません（例: R7.3, 令和6年10月）。`);
    cli.guideline = r;
  }
  let explicit: ReturnType<typeof readConfigFile> | undefined;
  if (opts.config) {
    if (!fs.existsSync(opts.config)) throw new UsageError(`設定ファイルが見つかりません: ${opts.config}`);
    explicit = readConfigFile(path.resolve(opts.config));
    problems.push(...explicit.problems);
  }
  const cache = new Map<string, ReturnType<typeof readConfigFile>>();
  const seenProblems = new Set<string>(problems.map(formatProblem));
  const jobs: Job[] = [];
  for (const file of files) {
    let config: ResolvedConfig;
    let match: 'include' | 'exclude' | undefined;
    if (explicit) {
      config = mergeConfig(explicit.config, cli);
      match = globMatch(config, file);
    } else {
      const fc = configForFile(file, {}, undefined, cache);
      config = mergeConfig(fc.config, cli);
      match = fc.globMatch;
      for (const p of fc.problems) if (!seenProblems.has(formatProblem(p))) { seenProblems.add(formatProblem(p)); problems.push(p); }
    }
    if (match !== 'exclude') jobs.push({ file, config, match, hints: opts.hints });
  }
  const results: FileResult[] = problems.length ? [] : opts.fix || jobs.length < PARALLEL_MIN_FILES ? jobs.map((j) => checkFile(j, opts.fix)) : checkInParallel(jobs);
  if (problems.length) {
    process.stderr.write(`lgpolicy: 設定に誤りがあります。\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
    return 2;
  }
  const output = opts.format === 'json' ? json(results) : opts.format === 'sarif' ? sarif(results, VERSION) : opts.format === 'github' ? github(results) : stylish(results, opts.color);
  process.stdout.write(output);
  const c = counts(results);
  if (opts.exitZero) return 0;
  return c.error > 0 || results.some((r) => r.error) ? 1 : 0;
}

function coverage(args: string[]): number {
  let format = 'md';
  let guideline: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} に値がありません。`);
      return v;
    };
    if (a === '--format' || a.startsWith('--format=') || a === '-f') {
      format = value();
      if (!['md', 'html', 'json'].includes(format)) throw new UsageError(`coverage の --format は md / html / json のいずれかです（指定値: ${format}）。`);
    } else if (a === '--guideline' || a.startsWith('--guideline=')) guideline = value();
    else if (a.startsWith('-')) throw new UsageError(`不明なオプション: ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) throw new UsageError('coverage には文書のファイルを1つ指定してください。');
  const file = files[0];
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) throw new UsageError(`ファイルが見つかりません: ${file}`);
  const fc = configForFile(file);
  if (fc.problems.length) {
    process.stderr.write(`lgpolicy: 設定に誤りがあります。\n${fc.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
    return 2;
  }
  const config = { ...fc.config };
  if (guideline) {
    const r = parseRevision(guideline);
    if (!r) throw new UsageError(`--guideline の版「${guideline}」を認識できません（例: R7.3, 令和6年10月）。`);
    config.guideline = r;
  }
  const analysis = analyze(fs.readFileSync(file, 'utf8'), { config, globMatch: fc.globMatch });
  const report = coverageReport(analysis);
  const name = path.relative(process.cwd(), file) || file;
  process.stdout.write(format === 'json' ? JSON.stringify({ file: name, ...report }, null, 2) + '\n' : format === 'html' ? coverageHtml(report, { file: name }) : coverageMarkdown(report, name) + '\n');
  return 0;
}

/**
 * prh escapes `-` and `¥` in string patterns with a backslash and then compiles with the u flag,
 * under which `\-` is a syntax error: such patterns are written out as regular expressions instead.
 */
function forPrh(dict: { rules?: Record<string, unknown>[] }): unknown {
  const conv = (p: unknown) => (typeof p === 'string' && !/^\/.*\/[a-z]*$/s.test(p) && /[-¥]/.test(p) ? `/${escapeLiteral(p)}/` : p);
  return {
    ...dict,
    rules: (dict.rules ?? []).map((r) => {
      const out = { ...r };
      for (const k of ['pattern', 'patterns'] as const) if (out[k] !== undefined) out[k] = Array.isArray(out[k]) ? (out[k] as unknown[]).map(conv) : conv(out[k]);
      return out;
    }),
  };
}

/** The built-in terminology dictionary in prh format, for teams that also run textlint-rule-prh. */
function exportPrh(args: string[]): number {
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out' || a === '-o') { out = args[++i]; if (!out) throw new UsageError('--out にファイル名を指定してください。'); }
    else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else throw new UsageError(`export-prh に不明な引数があります: ${a}`);
  }
  const header = `# LG Policy の用語辞書（prh 形式）。lgpolicy ${VERSION} の export-prh で書き出しました。\n# textlint-rule-prh の rulePaths に指定して使えます。specs は各ルールのテストです。\n`;
  const text = header + YAML.stringify(forPrh(builtinPrh as { rules?: Record<string, unknown>[] }), { lineWidth: 0 });
  if (out) {
    try { fs.writeFileSync(out, text); } catch (e) { throw new UsageError(`${out} に書き込めません（${(e as NodeJS.ErrnoException).code ?? e}）。`); }
    process.stderr.write(`lgpolicy: 用語辞書を ${out} に書き出しました。\n`);
  } else process.stdout.write(text);
  return 0;
}

function listRules(): number {
  for (const r of RULES) process.stdout.write(`${r.meta.id.padEnd(28)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.title}（別名: ${r.meta.aliases.join(', ')}）\n`);
  return 0;
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-v') { process.stdout.write(`${VERSION}\n`); return 0; }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') { process.stdout.write(USAGE); return command === undefined ? 2 : 0; }
    if (command === 'check') return check(rest);
    if (command === 'rules') return listRules();
    if (command === 'coverage') return coverage(rest);
    if (command === 'export-prh') return exportPrh(rest);
    throw new UsageError(`不明なコマンド: ${command}`);
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`lgpolicy: ${e.message}\n\n${USAGE}`); return 2; }
    process.stderr.write(`lgpolicy: 予期しないエラー: ${e instanceof Error ? e.stack : String(e)}\n`);
    return 2;
  }
}

if (isMainThread) {
  const code = main(process.argv.slice(2));
  process.exitCode = code;
  // Exit as soon as everything is written, instead of letting the event loop run dry, where V8
  // first finishes the garbage collection it had started (a full mark-compact after a 1 MB
  // document: 6–16 ms of every run). A write's callback comes once the stream has handed its data
  // on; output larger than a pipe holds is still being written here.
  let open = 2;
  const written = () => { if (--open === 0) process.exit(code); };
  process.stdout.write('', written);
  process.stderr.write('', written);
} else if (workerData?.lgpolicyJobs) runWorker(workerData);
