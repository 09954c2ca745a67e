#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (which builds through `prepare`), installed into an
# empty directory with only Node.js and the npm registry, then `siteform demo` run from there.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" >/dev/null
mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "$work"/siteform-*.tgz
if ! npx --no-install siteform demo >"$work/demo.log" 2>&1; then
  cat "$work/demo.log"
  echo "pack-smoke: siteform demo failed when installed from the packed tarball" >&2
  exit 1
fi
grep -q "Demo finished: the servers match git." "$work/demo.log"
# Again with the helper thread forced on: its code (dist/worker.js) must be in the package too.
if ! SITEFORM_THREADS=2 npx --no-install siteform demo >"$work/demo-threads.log" 2>&1; then
  cat "$work/demo-threads.log"
  echo "pack-smoke: siteform demo with SITEFORM_THREADS=2 failed when installed from the packed tarball" >&2
  exit 1
fi
grep -q "Demo finished: the servers match git." "$work/demo-threads.log"
echo "pack-smoke: the packed tarball installs into an empty directory and runs siteform demo, on one thread and on two"
