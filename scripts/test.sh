#!/usr/bin/env bash
# The whole test suite: `./oms test` (called by .ci/run exactly).  Runs every gate even when an
# earlier one fails, then prints a summary and exits non-zero if anything failed.
set -uo pipefail
cd "$OMS_ROOT"
# Run by ./oms after scripts/toolchain.sh (PATH, Node 24, dependencies); set-up helpers:
type log >/dev/null 2>&1 || log() { printf '[oms setup] %s\n' "$*" >&2; }
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
set +e

ensure_chromium() {
  # The browser test drives Debian's Chromium with playwright-core (no browser download).
  if [ -x /usr/bin/chromium ]; then return; fi
  log "installing Debian's chromium for the browser test (apt-get)…"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
}

ensure_prisma_clients
ensure_chromium || { echo "oms test: could not install chromium (needed by test/e2e); see README troubleshooting" >&2; exit 1; }
export OMS_CHROMIUM="${OMS_CHROMIUM:-/usr/bin/chromium}"

declare -a names=() results=()
gate() {
  local name="$1"; shift
  printf '\n\033[1m── %s\033[0m  (%s)\n' "$name" "$*"
  local start=$SECONDS
  if "$@"; then results+=("ok   $name ($((SECONDS - start))s)"); else results+=("FAIL $name ($((SECONDS - start))s)"); fi
  names+=("$name")
}

gate "schema: migrations in sync for sqlite + postgresql, prisma validate" tsx scripts/db.ts check
gate "typecheck" tsc --noEmit
gate "lint (incl. import boundaries)" eslint --max-warnings=0 .
gate "production build" npx remix vite:build --logLevel warn
if [ -n "${DATABASE_URL:-}" ]; then
  echo "integration tests will run on: sqlite, postgresql ($(echo "$DATABASE_URL" | sed -E 's#//[^@/]*@#//#'))"
else
  echo "integration tests will run on: sqlite (set DATABASE_URL=postgres://… to add PostgreSQL)"
fi
gate "tests: unit, contract, integration, e2e" npx vitest run --reporter=verbose "$@"

printf '\n\033[1m── Summary\033[0m\n'
failed=0
for r in "${results[@]}"; do
  echo "  $r"
  case "$r" in FAIL*) failed=$((failed + 1)) ;; esac
done
if [ "$failed" -gt 0 ]; then
  echo "$((${#results[@]} - failed)) passed, $failed failed"
  exit 1
fi
echo "gates: ${#results[@]} passed, 0 failed"
