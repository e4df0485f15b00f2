// Shared by the real-editor launchers: an isolated code-server (real VS Code) and Debian Chromium.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

const REPO = path.resolve(__dirname, '../..');
const E2E = process.env.E2E_DIR || path.join(REPO, '.e2e');
const CS_BIN = process.env.CS_BIN || path.join(E2E, 'cs', 'node_modules', '.bin', 'code-server');
const { chromium } = require(require.resolve('playwright-core', { paths: [path.join(E2E, 'tools')] }));

/** A fresh, isolated code-server profile: nothing is written to the home folder. */
function profile(extraSettings = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lgpolicy-e2e-'));
  const udd = path.join(root, 'user-data');
  fs.mkdirSync(path.join(udd, 'User'), { recursive: true });
  fs.writeFileSync(path.join(udd, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false, 'workbench.enableExperiments': false, 'workbench.tips.enabled': false,
    'chat.disableAIFeatures': true, 'editor.hover.delay': 100, 'markdown.validate.enabled': false,
    'editor.fontFamily': "'IPAGothic', monospace", 'workbench.colorTheme': 'Default Light Modern', ...extraSettings,
  }, null, 2));
  fs.writeFileSync(path.join(root, 'config.yaml'), 'auth: none\ncert: false\n');
  const env = { ...process.env, TMPDIR: root, XDG_CONFIG_HOME: path.join(root, 'xc'), XDG_DATA_HOME: path.join(root, 'xd'), XDG_CACHE_HOME: path.join(root, 'xk'), EXTENSIONS_GALLERY: '{}' };
  const args = ['--config', path.join(root, 'config.yaml'), '--user-data-dir', udd, '--extensions-dir', path.join(root, 'extensions')];
  return { root, udd, env, args };
}

function startServer(p, port, extra = []) {
  const server = spawn(CS_BIN, [...p.args, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--disable-proxy', ...extra],
  { env: p.env, stdio: ['ignore', fs.openSync(path.join(p.root, 'cs.log'), 'w'), fs.openSync(path.join(p.root, 'cs.err'), 'w')] });
  return server;
}

function waitHttp(url, ms) {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => http.get(url, (r) => { r.resume(); resolve(r.statusCode); }).on('error', () => (Date.now() > end ? reject(new Error(`no answer from ${url}`)) : setTimeout(tick, 250)));
    tick();
  });
}

function launchBrowser(env) {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, env,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--lang=ja'] });
}

module.exports = { REPO, E2E, CS_BIN, profile, startServer, waitHttp, launchBrowser };
