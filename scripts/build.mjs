// Build: validate the knowledge data against its schemas, then bundle the
// extension, the language server and the CLI with esbuild into dist/.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { validateKnowledge, yamlPlugin } from './knowledge-tools.mjs';

const errors = validateKnowledge();
if (errors.length) {
  console.error('Knowledge data does not match its schema:\n' + errors.map((e) => '  ' + e).join('\n'));
  process.exit(1);
}

const production = !process.argv.includes('--dev');
// --profile: production code, not minified, for readable CPU profiles (node --cpu-prof).
const profile = process.argv.includes('--profile');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production && !profile,
  sourcemap: production ? false : 'inline',
  legalComments: 'none',
  plugins: [yamlPlugin],
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/cli.ts'], outfile: 'dist/cli-main.js' }),
]);
// Bundles made of ASCII only: esbuild escapes non-ASCII characters in strings but leaves them in
// regular-expression literals, and one such character makes Node decode the whole 1.7 MB file as
// UTF-8 and V8 keep it as a two-byte string (about 7 ms more at every start of the CLI).
// \uXXXX means the same character in a regular expression, a string and a template literal (the
// bundles use no String.raw); an escaped character (\X) becomes \uXXXX without the backslash.
for (const file of ['dist/cli-main.js', 'dist/server.js']) writeFileSync(file, asciiOnly(readFileSync(file, 'utf8')));

function asciiOnly(code) {
  return code.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, ch) => {
    const escape = `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    return (slashes.length % 2 === 1 ? slashes.slice(1) : slashes) + escape;
  });
}

// `lgpolicy` (dist/cli.js) is a small loader that compiles cli-main.js with V8's code cache.
copyFileSync('scripts/cli-loader.cjs', 'dist/cli.js');
chmodSync('dist/cli.js', 0o755);
// The cache: what V8 compiled during a check of the bundled examples, with this Node.js.
const cacheFile = resolve('dist/cli-main.cache');
rmSync(cacheFile, { force: true });
if (production && !profile) {
  const run = spawnSync(process.execPath, ['dist/cli.js', 'check', 'examples', '--exit-zero', '--format', 'json'], { env: { ...process.env, LGPOLICY_BUILD_CODE_CACHE: cacheFile }, encoding: 'utf8' });
  if (run.status !== 0) console.warn(`code cache not written (exit ${run.status}): ${run.stderr}`);
}

// The real-editor suite (test/vscode): bundled to out/test, loaded by VS Code's extension host.
if (process.argv.includes('--tests')) {
  await esbuild.build({
    ...common, minify: false, sourcemap: 'inline',
    entryPoints: ['test/vscode/suite/index.ts', 'test/vscode/suite/extension.test.ts', 'test/vscode/run-electron.ts'],
    outdir: 'out/test', external: ['vscode', 'mocha', '@vscode/test-electron'],
  });
  console.log('built out/test');
}
console.log('built dist/extension.js, dist/server.js, dist/cli.js (+ cli-main.js, cli-main.cache)');
