import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';
import { analyze, type AnalyzeOptions } from '../../server/src/engine/engine';
import type { TextEdit } from '../../server/src/engine/types';

export const POLICY_HEAD = ['---', 'lgpolicy: true', '---', ''].join('\n');

export function check(text: string, options: AnalyzeOptions = {}) {
  return analyze(text, options);
}

export function findingsOf(text: string, ruleId: string, options: AnalyzeOptions = {}) {
  return analyze(text, options).findings.filter((f) => f.ruleId === ruleId);
}

/** Applies non-overlapping edits to text (from the end backwards). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Deterministic PRNG (mulberry32) for seeded, reproducible property and fuzz tests. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A module of the server (`path` from the repository root) bundled on its own into a new
 * temporary folder, for tests that need a fresh Node.js process: `dir` for their scripts, `bundle`
 * to require.
 */
export function bundledAlone(path: string): { dir: string; bundle: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lgpolicy-alone-'));
  const bundle = join(dir, `${basename(path, '.ts')}.cjs`);
  buildSync({ entryPoints: [join(__dirname, '../..', path)], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
  return { dir, bundle };
}
