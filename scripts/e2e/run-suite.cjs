// Launcher 2: runs the same Mocha suite as test-electron (out/test/suite) inside code-server's
// real remote extension host, driven by Debian Chromium. Prints the suite's "N passed, N failed".
const path = require('node:path');
const util = require('node:util');
const { REPO, profile, startServer, waitHttp, launchBrowser } = require('./common.cjs');

const PORT = Number(process.env.PORT || 18081);
const WS = path.join(REPO, 'test', 'vscode', 'workspace');
const TESTS = path.join(REPO, 'out', 'test', 'suite', 'index.js');

(async () => {
  const t0 = Date.now();
  const p = profile();
  // The suite changes workspace settings: work on a copy of the fixture folder.
  const fs = require('node:fs');
  const wsCopy = path.join(p.root, 'workspace');
  fs.cpSync(WS, wsCopy, { recursive: true });
  let code = 1, server, browser, summary = '';
  try {
    server = startServer(p, PORT);
    await waitHttp(`http://127.0.0.1:${PORT}/healthz`, 60000);
    browser = await launchBrowser(p.env);
    const page = await browser.newPage();
    let done;
    const exited = new Promise((r) => (done = r));
    await page.exposeFunction('codeAutomationExit', (c) => done(c));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(args || []));
      // The summary line is printed once, at the end (CI adds up the summary lines of every tier).
      if (/^\d+ passed, \d+ failed$/.test(line.trim())) summary = line.trim();
      else if (/✔|✗|passed|failed|Error/.test(line) || process.env.VERBOSE) console.log(line);
    });
    // Built web workbenches honour extensionDevelopmentPath/extensionTestsPath only with the smoke-test driver enabled.
    await page.addInitScript(() => {
      const orig = Element.prototype.getAttribute;
      Element.prototype.getAttribute = function (name) {
        const v = orig.call(this, name);
        if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && v) {
          const cfg = JSON.parse(v);
          cfg.developmentOptions = { ...(cfg.developmentOptions || {}), enableSmokeTestDriver: true };
          return JSON.stringify(cfg);
        }
        return v;
      };
    });
    const host = `127.0.0.1:${PORT}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${host}${REPO}`], ['extensionTestsPath', `vscode-remote://${host}${TESTS}`], ['skipWelcome', 'true']]);
    await page.goto(`http://${host}/?folder=${encodeURIComponent(wsCopy)}&payload=${encodeURIComponent(payload)}`);
    let timer;
    code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), Number(process.env.TEST_TIMEOUT_MS || 180000)); })]);
    clearTimeout(timer);
    if (code !== 0) await page.screenshot({ path: path.join(REPO, 'test-output', 'suite-failure.png') }).catch(() => {});
  } catch (e) {
    console.error(e);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.kill('SIGTERM');
    console.log(`[code-server suite] exit ${code} after ${((Date.now() - t0) / 1000).toFixed(0)}s`);
    console.log(summary || '0 passed, 1 failed');
    process.exitCode = code === 0 ? 0 : 1;
  }
})();
