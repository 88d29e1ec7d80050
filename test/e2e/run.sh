#!/usr/bin/env bash
# The end-to-end suite: installs code-server, Node 24 and Chromium into a cache (setup.sh), packages
# pgvet.vsix, then runs the UI tests (Playwright), the adoption test and the VS Code API tests (mocha in the extension
# host), each in its own fresh code-server. Exits non-zero when either fails.
# Screenshots: test/e2e/screenshots/ (CI artefacts, git-ignored).
set -uo pipefail
cd "$(dirname "$0")/../.."

t0=$SECONDS
status=0
phase() { echo; echo "=== e2e: $1"; }

phase "setup"
bash test/e2e/setup.sh || exit 1

if [ "${PGVET_E2E_SKIP_PACKAGE:-0}" != 1 ]; then
  phase "package"
  t=$SECONDS
  npm run --silent package >/tmp/pgvet-e2e-package.$$.log 2>&1 || { cat /tmp/pgvet-e2e-package.$$.log; rm -f /tmp/pgvet-e2e-package.$$.log; exit 1; }
  rm -f /tmp/pgvet-e2e-package.$$.log
  echo "packaged pgvet.vsix ($(du -k pgvet.vsix | cut -f1) KB, $((SECONDS - t)) s)"
fi

phase "UI tests (Playwright + code-server)"
t=$SECONDS
node --import tsx test/e2e/ui.test.ts || status=1
echo "ui: $((SECONDS - t)) s"

phase "Adoption: a corpus project in git, pgvet.baseRef, the Problems panel at start"
t=$SECONDS
node --import tsx test/e2e/adoption.test.ts || status=1
echo "adoption: $((SECONDS - t)) s"

phase "VS Code API tests (mocha in code-server's extension host)"
t=$SECONDS
node --import tsx test/e2e/run-in-code-server.ts || status=1
echo "api: $((SECONDS - t)) s"

echo
echo "=== e2e: $([ $status = 0 ] && echo passed || echo FAILED) in $((SECONDS - t0)) s; screenshots in test/e2e/screenshots/"
exit $status
