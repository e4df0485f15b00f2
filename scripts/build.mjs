// Build: validate the knowledge data against its schemas, then bundle the
// extension, the language server and the CLI with esbuild into dist/.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';
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
  esbuild.build({ ...common, entryPoints: ['server/src/cli/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync('dist/cli.js', 0o755);

// The real-editor suite (test/vscode): bundled to out/test, loaded by VS Code's extension host.
if (process.argv.includes('--tests')) {
  await esbuild.build({
    ...common, minify: false, sourcemap: 'inline',
    entryPoints: ['test/vscode/suite/index.ts', 'test/vscode/suite/extension.test.ts', 'test/vscode/run-electron.ts'],
    outdir: 'out/test', external: ['vscode', 'mocha', '@vscode/test-electron'],
  });
  console.log('built out/test');
}
console.log('built dist/extension.js, dist/server.js, dist/cli.js');
