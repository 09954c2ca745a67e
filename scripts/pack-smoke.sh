#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (which builds through `prepare`), installed into an
# empty directory with only Node.js and the npm registry, then `siteform demo` run from there.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A file left in dist/ by an earlier build (a chunk whose hash has since changed) must not ship:
# the build (run by `prepare`) starts from an empty dist/.
mkdir -p dist/chunks
echo "export {};" > dist/chunks/stale-left-by-an-earlier-build.js
npm pack --silent --pack-destination "$work" >/dev/null
tar -tzf "$work"/siteform-*.tgz >"$work/contents.txt"
if grep -q "stale-left-by-an-earlier-build" "$work/contents.txt"; then
  echo "pack-smoke: the tarball ships a file an earlier build left in dist/" >&2
  exit 1
fi
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
