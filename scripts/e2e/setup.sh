#!/usr/bin/env bash
# Installs what the real-editor tier needs, from Debian's packages and the npm registry only:
# Debian Chromium (+ a Japanese font for legible screenshots), code-server (a real VS Code,
# server + web workbench) and playwright-core to drive it. Idempotent; everything goes to .e2e/.
# Usage: bash scripts/e2e/setup.sh   (root: uses apt-get)
set -euo pipefail
cd "$(dirname "$0")/../.."
E2E_DIR=${E2E_DIR:-$PWD/.e2e}
CS_VERSION=${CS_VERSION:-4.100.3}   # the newest code-server whose engines accept Node 20 (VS Code 1.100.3)
mkdir -p "$E2E_DIR"/{tmp,cs,tools}
t0=$(date +%s)
say() { echo "[e2e-setup $(( $(date +%s) - t0 ))s] $*"; }

if ! command -v chromium >/dev/null || ! command -v rg >/dev/null || ! fc-list 2>/dev/null | grep -qi ipa; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # chromium: the browser; libkrb5-dev: headers for code-server's native 'kerberos' module;
  # ripgrep: replaces @vscode/ripgrep's download; fonts-ipafont-gothic: Japanese glyphs.
  apt-get install -y -qq chromium libkrb5-dev ripgrep fonts-ipafont-gothic >/dev/null
fi
say "apt packages ready"

if [ ! -x "$E2E_DIR/cs/node_modules/.bin/code-server" ]; then
  # @vscode/ripgrep (a code-server dependency) downloads rg at install time: seed its cache with Debian's rg.
  cd "$E2E_DIR/tmp"
  TGZ=$(npm pack "code-server@$CS_VERSION" --silent 2>/dev/null | tail -1)
  RGV=$(tar -xzOf "$TGZ" package/lib/vscode/npm-shrinkwrap.json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages["node_modules/@vscode/ripgrep"];console.log(p?p.version:"")})')
  if [ -n "$RGV" ]; then
    RGTGZ=$(npm pack "@vscode/ripgrep@$RGV" --silent 2>/dev/null | tail -1)
    RGTAG=$(tar -xzOf "$RGTGZ" package/lib/postinstall.js | sed -nE "s/^const VERSION = '([^']+)'.*/\1/p")
    mkdir -p "$E2E_DIR/tmp/vscode-ripgrep-cache-$RGV" "$E2E_DIR/tmp/rg"
    cp "$(command -v rg)" "$E2E_DIR/tmp/rg/rg"
    tar -czf "$E2E_DIR/tmp/vscode-ripgrep-cache-$RGV/ripgrep-$RGTAG-x86_64-unknown-linux-musl.tar.gz" -C "$E2E_DIR/tmp/rg" rg
  fi
  cd "$E2E_DIR/cs"
  [ -f package.json ] || npm init -y >/dev/null
  # unsafe_perm: code-server's postinstall refuses root without it; yes: node-pty runs `npx node-gyp`.
  TMPDIR="$E2E_DIR/tmp" npm_config_yes=true npm_config_unsafe_perm=true \
    npm i --no-audit --no-fund "code-server@$CS_VERSION" > "$E2E_DIR/code-server-install.log" 2>&1 \
    || { tail -40 "$E2E_DIR/code-server-install.log"; exit 1; }
fi
say "code-server $CS_VERSION ready"

if [ ! -d "$E2E_DIR/tools/node_modules/playwright-core" ]; then
  cd "$E2E_DIR/tools"
  [ -f package.json ] || npm init -y >/dev/null
  npm i --no-audit --no-fund playwright-core@1 mocha@11 >/dev/null 2>&1
fi
say "playwright-core ready"
