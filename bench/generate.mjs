// Deterministic generator of large policy documents for the benchmark.
// Composed from the project's own conformance fixtures (complete sections in guideline and
// 例規 layout, written for this project) with renumbered sections/articles and a few
// realistic defects planted at fixed pseudo-random places.
//
//   node bench/generate.mjs big <bytes> <layout guideline|reiki> <out.md>
//   node bench/generate.mjs many <count> <bytes> <outDir>
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtureDir = join(root, 'test/fixtures/conformance');

/** mulberry32: small seeded PRNG so every run writes the same bytes. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bodies(layout) {
  return readdirSync(fixtureDir)
    .filter((f) => f.endsWith(layout === 'reiki' ? '.reiki.md' : '.guideline.md'))
    .sort()
    .map((f) => readFileSync(join(fixtureDir, f), 'utf8')
      .replace(/^---\n[\s\S]*?\n---\n/, '')
      .replace(/^\s*# .*\n/, '')
      .replace(/^<!-- element: [^>]*-->\n/gm, ''));
}

// Defects a real draft contains: discouraged wording, a 表記ゆれ, a misspelt role, a numbering gap.
const DEFECTS = [
  (s) => s.replace(/しなければならない。/, 'しなければならない。機密性の高い情報を電子メールで送るときは、暗号化又はパスワード設定を行う。'),
  (s) => s.replace(/サーバ/, 'サーバー'),
  (s) => s.replace(/統括情報セキュリティ責任者/, '総括情報セキュリティ責任者'),
  (s) => s.replace(/② /, '③ '),
];

export function generateBig(bytes, layout = 'guideline', seed = 1) {
  const rand = prng(seed);
  const parts = bodies(layout);
  const head = layout === 'reiki'
    ? '---\nlgpolicy: true\nguideline: 令和7年3月\n---\n\n# 東西市情報セキュリティ対策基準\n\n'
    : '---\nlgpolicy: true\nguideline: 令和7年3月\n---\n\n# 東西市情報セキュリティ対策基準\n\n';
  const out = [head];
  let size = Buffer.byteLength(head);
  let chapter = 0;
  let article = 0;
  while (size < bytes) {
    for (const body of parts) {
      if (size >= bytes) break;
      let text;
      if (layout === 'reiki') {
        let section = 0;
        text = /^第[0-9]+章/m.test(body) ? body : `第1章 総則\n\n${body}`;
        text = text
          .replace(/^第[0-9]+章/gm, () => { section = 0; return `第${++chapter}章`; })
          .replace(/^第[0-9]+節/gm, () => `第${++section}節`)
          .replace(/^第[0-9]+条/gm, () => `第${++article}条`);
      } else {
        text = body.replace(/^## [0-9.]+ /gm, () => `## ${++chapter}. `);
      }
      text = text.replace(/本[町村]/g, '本市');
      if (rand() < 0.3) text = DEFECTS[Math.floor(rand() * DEFECTS.length)](text);
      out.push(text.endsWith('\n') ? text : text + '\n', '\n');
      size += Buffer.byteLength(text) + 1;
    }
  }
  return out.join('');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'big') {
    const [bytes, layout, file] = args;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, generateBig(Number(bytes), layout));
  } else if (mode === 'many') {
    const [count, bytes, dir] = args;
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < Number(count); i++) {
      writeFileSync(join(dir, `policy-${String(i).padStart(3, '0')}.md`), generateBig(Number(bytes), i % 2 ? 'reiki' : 'guideline', i + 1));
    }
  } else {
    console.error('usage: generate.mjs big <bytes> <guideline|reiki> <out.md> | many <count> <bytes> <dir>');
    process.exit(2);
  }
}
