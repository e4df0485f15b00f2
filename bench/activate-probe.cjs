// Measures how long dist/extension.js takes to load and activate outside VS Code.
//
//   node bench/activate-probe.cjs [timeoutMs]
//
// `require('vscode')` is answered with a stub: a deep Proxy in which every property is
// another stub, every call returns a stub (or a disposable), `workspace.getConfiguration().get()`
// returns undefined and `version` is a real version string (vscode-languageclient checks it).
// activate() then runs for real, including the language client forking dist/server.js over
// IPC and the initialize handshake. Prints one JSON line with the timings (milliseconds since
// just before `require('dist/extension.js')`):
//   { required, returned, settled, outcome: 'resolved' | 'rejected' | 'timeout', error? }
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const childProcess = require('node:child_process');
const { performance } = require('node:perf_hooks');

const root = path.join(__dirname, '..');
const timeoutMs = Number(process.argv[2] ?? 5000);

/** Explicit values that a pure Proxy cannot give sensibly; everything else is a stub. */
const OVERRIDES = {
  version: '1.99.0',
  env: { language: 'ja', appName: 'Visual Studio Code', machineId: 'bench', sessionId: 'bench', uriScheme: 'vscode' },
  workspace: {
    getConfiguration: () => stub({ get: () => undefined, has: () => false }),
    workspaceFolders: undefined,
    textDocuments: [],
  },
  window: { visibleTextEditors: [], activeTextEditor: undefined },
  extensions: { all: [], getExtension: () => undefined },
};

/**
 * A deep stub: callable and constructible, every property is another stub.
 * `then` is undefined so awaiting a stub does not hang; primitive conversion gives ''.
 */
function stub(overrides = {}) {
  const children = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_, key) {
      if (children.has(key)) return children.get(key);
      if (Object.prototype.hasOwnProperty.call(overrides, key)) {
        const v = overrides[key];
        return v && typeof v === 'object' && !Array.isArray(v) ? remember(key, stub(v)) : v;
      }
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (key === 'dispose') return () => undefined;
      if (typeof key === 'symbol') return undefined;
      return remember(key, stub());
    },
    set(_, key, value) {
      children.set(key, value);
      return true;
    },
    apply: () => stub(),
    construct: () => stub(),
  });
  function remember(key, value) {
    children.set(key, value);
    return value;
  }
}

/**
 * The module object: one enumerable own property per runtime name of the real API
 * (namespaces, classes, enums, constants, read from @types/vscode), because the bundle's
 * `import * as vscode` copies own properties. Each is an override or a stub, made on first use.
 */
function vscodeApi() {
  const dts = fs.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = new Set([...dts.matchAll(/^\texport (?:namespace|class|enum|const|let|function) (\w+)/gm)].map((m) => m[1]));
  const top = stub(OVERRIDES);
  const api = {};
  for (const name of names) Object.defineProperty(api, name, { enumerable: true, get: () => top[name] });
  return api;
}

// Resolve 'vscode' to a pre-filled cache entry holding the stub.
const STUB_ID = '\0vscode-stub';
const vscodeModule = new Module(STUB_ID);
vscodeModule.exports = vscodeApi();
vscodeModule.loaded = true;
require.cache[STUB_ID] = vscodeModule;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? STUB_ID : resolve.call(this, request, ...rest);
};

// Remember the server processes the language client forks so they can be ended afterwards.
const children = [];
const fork = childProcess.fork;
childProcess.fork = function (...args) {
  const child = fork.apply(this, args);
  children.push(child);
  return child;
};

const context = stub({
  subscriptions: [],
  extensionPath: root,
  asAbsolutePath: (p) => path.join(root, p),
});

const t0 = performance.now();
const extension = require(path.join(root, 'dist/extension.js'));
const required = performance.now() - t0;
let result;
try {
  result = extension.activate(context);
} catch (e) {
  result = Promise.reject(e);
}
const returned = performance.now() - t0;

const timeout = new Promise((r) => setTimeout(() => r({ outcome: 'timeout' }), timeoutMs));
Promise.race([
  Promise.resolve(result).then(() => ({ outcome: 'resolved' }), (e) => ({ outcome: 'rejected', error: String(e?.message ?? e) })),
  timeout,
]).then((end) => {
  const settled = performance.now() - t0;
  process.stdout.write(JSON.stringify({ required, returned, settled, ...end }) + '\n');
  for (const child of children) child.kill();
  process.exit(0);
});
