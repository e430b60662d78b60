#!/usr/bin/env bash
# Sourced after scripts/toolchain.sh: cheap, stamp-guarded set-up steps shared by ./oms and tests.
set -euo pipefail

# The Prisma CLI downloads engines at start unless these name existing files; with
# engineType = "client" they are never executed (docs/decisions/002-offline-prisma.md).
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true}"
export PRISMA_QUERY_ENGINE_LIBRARY="${PRISMA_QUERY_ENGINE_LIBRARY:-/bin/true}"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1

ensure_prisma_clients() {
  local want; want="$(cat prisma/schema.prisma package-lock.json | sha256sum | cut -c1-16)"
  local stamp=node_modules/.prisma/.oms-stamp
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d node_modules/.prisma/client-postgres ]; then return; fi
  log "generating Prisma clients (sqlite + postgresql)…"
  tsx scripts/db.ts generate >&2
  echo "$want" > "$stamp"
}

ensure_build() {
  local want
  want="$( (find app -type f -not -name '*.test.*' | sort | xargs cat; cat remix.config.js vite.config.ts package-lock.json tsconfig.json) | sha256sum | cut -c1-16)"
  if [ -f build/.oms-stamp ] && [ "$(cat build/.oms-stamp)" = "$want" ]; then return; fi
  log "building the admin app (remix vite:build)…"
  npx remix vite:build --logLevel warn >&2
  echo "$want" > build/.oms-stamp
}
