/**
 * The language server's main thread before V8's helper threads (server/src/node/cpu.ts): in a
 * fresh process, as the server, the helpers run at the lowest priority and the main thread as it was.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledAlone } from './helpers';
import { HELPER_NICE } from '../../server/src/node/cpu';

/** Runs `body` in a fresh Node.js process with `cpu` (cpu.ts) in scope; returns what it prints (JSON). */
function inFreshProcess(body: string): unknown {
  const { dir, bundle } = bundledAlone('server/src/node/cpu.ts');
  const script = join(dir, 'run.cjs');
  writeFileSync(script, `
    const fs = require('node:fs');
    const cpu = require(${JSON.stringify(bundle)});
    // A thread's nice value: field 19 of /proc/<pid>/task/<tid>/stat (after the command's parentheses).
    const niceOf = (tid) => Number(fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').replace(/^.*\\) /s, '').split(' ')[16]);
    const threads = () => fs.readdirSync('/proc/self/task').map((tid) => ({ tid: Number(tid), nice: niceOf(tid) }));
    ${body}
  `);
  return JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' }));
}

const linux = process.platform === 'linux' && (() => { try { readFileSync('/proc/self/stat'); return true; } catch { return false; } })();

describe('language server: analyses before V8\'s helper threads', () => {
  it.runIf(linux)('lowers every helper thread to the lowest priority and leaves the main thread as it was', () => {
    const result = inFreshProcess(`
      const before = threads();
      const done = cpu.favourMainThread();
      // Work for the helpers (compilation, collection) after the change.
      let s = 0; for (let i = 0; i < 3e6; i++) s += String(i).length;
      process.stdout.write(JSON.stringify({ before, after: threads(), done, main: process.pid, state: cpu.mainThreadFirst(), s }));
    `) as { before: { tid: number; nice: number }[]; after: { tid: number; nice: number }[]; done: { lowered: number; noInlining: boolean }; main: number; state: unknown };
    // A fresh Node.js process has helper threads (V8's workers), all at the main thread's priority.
    const helpersBefore = result.before.filter((t) => t.tid !== result.main);
    expect(helpersBefore.length).toBeGreaterThan(0);
    expect(helpersBefore.every((t) => t.nice === 0)).toBe(true);
    expect(result.done).toEqual({ lowered: helpersBefore.length, noInlining: true });
    expect(result.state).toEqual(result.done);
    for (const t of result.after) {
      if (t.tid === result.main) expect(t.nice).toBe(0);
      else if (helpersBefore.some((h) => h.tid === t.tid)) expect(t.nice).toBe(HELPER_NICE);
    }
  });

  it('leaves a process where it cannot change anything as it was, without an error', () => {
    const result = inFreshProcess(`
      // As on a system without /proc: reading the thread list fails.
      const readdirSync = fs.readdirSync;
      fs.readdirSync = (p, ...rest) => { if (String(p).startsWith('/proc')) throw new Error('ENOENT'); return readdirSync(p, ...rest); };
      const done = cpu.favourMainThread();
      fs.readdirSync = readdirSync;
      process.stdout.write(JSON.stringify({ done, after: ${linux ? 'threads()' : '[]'} }));
    `) as { done: { lowered: number }; after: { nice: number }[] };
    expect(result.done.lowered).toBe(0);
    // Every thread still at the priority it started with.
    expect(result.after.every((t) => t.nice === 0)).toBe(true);
  });
});
