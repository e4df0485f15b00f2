/**
 * Launcher 1: runs the suite in a desktop VS Code with @vscode/test-electron
 * (`npm run test:vscode`). Uses VSCODE_EXECUTABLE when set, otherwise lets test-electron
 * download a build — not possible on machines without internet access; use `npm run test:e2e` there.
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main() {
  const root = path.resolve(__dirname, '../..');
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'suite', 'index.js'),
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      launchArgs: [path.join(root, 'test', 'vscode', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (e) {
    console.error('VS Code integration tests failed:', e);
    process.exit(1);
  }
}
void main();
