#!/usr/bin/env bash
# Installs what the end-to-end tier needs, idempotently: Debian chromium/ripgrep/libkrb5-dev, code-server 4.100.3
# (the last release that runs on Node 20) and playwright-core. Everything goes into the git-ignored .e2e/ folder;
# nothing is written to $HOME. A second run only checks versions (≈1 s).
# Why each trap is handled the way it is: docs in /work/shared/reference/vscode.md §5.2–5.3.
set -euo pipefail

CS_VERSION=4.100.3
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11, whose postinstall wants ripgrep v13.0.0-10 from GitHub (offline here).
RG_PKG_VERSION=1.15.11
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
PW_VERSION=1.65.1

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E=$REPO/.e2e
mkdir -p "$E2E"
log() { printf 'e2e install: %s\n' "$*"; }

# --- Debian packages -----------------------------------------------------------------------------------------------
need_pkgs=()
for p in chromium ripgrep libkrb5-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=("$p")
done
# code-server's native modules (spdlog, node-pty, kerberos, argon2, …) build with node-gyp.
for c in g++ make python3; do command -v "$c" >/dev/null || { need_pkgs+=(build-essential python3); break; }; done
if ((${#need_pkgs[@]})); then
  log "apt-get install ${need_pkgs[*]}"
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}"
fi

# --- code-server ---------------------------------------------------------------------------------------------------
CS_DIR=$E2E/cs
CS_MARK=$CS_DIR/.installed-$CS_VERSION   # written only after a complete install, so a broken one is redone
if [[ -f $CS_MARK && -x $CS_DIR/node_modules/.bin/code-server ]]; then
  log "code-server $CS_VERSION already installed"
else
  log "installing code-server $CS_VERSION (native builds, ≈1–2 min)"
  start=$SECONDS
  # Keep npm's and node-gyp's caches and temp files inside .e2e (not ~/.npm, ~/.cache/node-gyp, /tmp).
  export npm_config_cache=$E2E/npm-cache npm_config_devdir=$E2E/node-gyp TMPDIR=$E2E/tmp
  export XDG_CONFIG_HOME=$E2E/home/config XDG_DATA_HOME=$E2E/home/data XDG_CACHE_HOME=$E2E/home/cache
  # node-pty's postinstall runs `npx node-gyp`; a user npmrc with yes=false makes npx abort instead of installing.
  export npm_config_yes=true
  # code-server's postinstall.sh refuses to run as root unless npm_config_unsafe_perm is set (npm 7+ no longer knows
  # the option, but the script still checks the variable).
  export npm_config_unsafe_perm=true
  # Node headers: node-gyp would download them from nodejs.org (unreachable); use the installed ones if present.
  NODE_PREFIX=$(dirname "$(dirname "$(command -v node)")")
  [[ -f $NODE_PREFIX/include/node/node.h ]] && export npm_config_nodedir=$NODE_PREFIX
  mkdir -p "$TMPDIR" "$CS_DIR"

  # Seed @vscode/ripgrep's download cache (it looks in os.tmpdir() first) with Debian's rg binary.
  rg_cache=$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION
  if [[ ! -s $rg_cache/$RG_ASSET ]]; then
    mkdir -p "$rg_cache" "$E2E/rgseed"
    cp "$(command -v rg)" "$E2E/rgseed/rg"
    tar czf "$rg_cache/$RG_ASSET" -C "$E2E/rgseed" rg
  fi

  rm -f "$CS_DIR"/.installed-*
  [[ -f $CS_DIR/package.json ]] || printf '{ "name": "medad-e2e-code-server", "private": true }\n' >"$CS_DIR/package.json"
  (cd "$CS_DIR" && timeout 900 npm install --no-audit --no-fund "code-server@$CS_VERSION")
  got=$(node -p "require('$CS_DIR/node_modules/code-server/package.json').version")
  [[ $got == "$CS_VERSION" ]] || { echo "e2e install: expected code-server $CS_VERSION, got $got" >&2; exit 1; }
  touch "$CS_MARK"
  log "code-server installed in $((SECONDS - start)) s"
fi

# --- playwright-core -----------------------------------------------------------------------------------------------
# Prefer the project's devDependency; otherwise install it into .e2e/pw (no browser download: we use Debian chromium).
if (cd "$REPO" && node -e "require.resolve('playwright-core')" 2>/dev/null); then
  log "playwright-core from node_modules ($(cd "$REPO" && node -p "require('playwright-core/package.json').version"))"
elif [[ -f $E2E/pw/node_modules/playwright-core/package.json ]] &&
  [[ $(node -p "require('$E2E/pw/node_modules/playwright-core/package.json').version") == "$PW_VERSION" ]]; then
  log "playwright-core $PW_VERSION already in .e2e/pw"
else
  log "installing playwright-core $PW_VERSION into .e2e/pw"
  mkdir -p "$E2E/pw"
  [[ -f $E2E/pw/package.json ]] || printf '{ "name": "medad-e2e-pw", "private": true }\n' >"$E2E/pw/package.json"
  (cd "$E2E/pw" && npm_config_cache=$E2E/npm-cache timeout 300 npm install --no-audit --no-fund "playwright-core@$PW_VERSION")
fi
