#!/usr/bin/env node
'use strict';
// The `lgpolicy` command. The CLI itself is bundled in cli-main.js; this loader compiles it with
// V8's code cache (cli-main.cache, written by `npm run build`), so that start-up skips parsing
// and compiling most of the 1.7 MB bundle (about 80 ms of every run). The cache is only an
// optimisation: when it is missing, or V8 rejects it (another Node.js version, other flags), the
// bundle is compiled as usual. Nothing here reads anything from the user's workspace.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { createRequire } = require('node:module');
const vm = require('node:vm');
const v8 = require('node:v8');

// The same flag the bundle sets first (regexp guard). V8 accepts a cache only under the flags it
// was made with, so it is set before compiling as well as when the cache is written.
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

const filename = join(__dirname, 'cli-main.js');
const cacheFile = join(__dirname, 'cli-main.cache');
const source = readFileSync(filename, 'utf8');
let cachedData;
try { cachedData = readFileSync(cacheFile); } catch { cachedData = undefined; }
const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const script = new vm.Script(wrapper, { filename, cachedData });
// Build step only (scripts/build.mjs): after a run over the examples, keep what V8 compiled.
if (process.env.LGPOLICY_BUILD_CODE_CACHE === cacheFile) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
const mod = { exports: {}, filename, id: filename, loaded: false };
script.runInThisContext()(mod.exports, createRequire(filename), mod, filename, __dirname);
