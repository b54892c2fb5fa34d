#!/usr/bin/env bash
# End-to-end tier (`npm run test:e2e`): Mocha suites under test/e2e run inside a real VS Code extension host
# (code-server 4.100.3 + headless Debian Chromium driven by playwright-core), offline.
# Closing line: "e2e: N passed, N failed, N skipped" (same as test/reporters/summary.js); with MEDAD_TEST_SUMMARY set,
# the counts are appended to that file as one JSON line. Exit status: 0 only if everything passed.
# The extension under test is the packaged .vsix (scripts/package.js), installed into a fresh --extensions-dir as a
# user installs it; the Mocha suites come in as a separate, empty development extension (out/test/e2e/package.json,
# written here) whose extensionTestsPath is out/test/e2e/index.js. Workspace trust is on: the driver answers the
# trust dialog as a person does.
# Env (optional): MEDAD_E2E_GREP (only tests whose title matches), MEDAD_E2E_NO_BUILD=1 (skip `npm run build` even
#   if sources are newer than out/), E2E_TIMEOUT_S (driver wait, default 720), E2E_VERBOSE=1 (full workbench log),
#   MEDAD_E2E_VSIX (the .vsix to install; default: medad-lab-linux-x64-<version>.vsix, repackaged when older than
#   out/ or package.json), MEDAD_E2E_NOTEBOOKS (default notebooks/).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E=$REPO/.e2e
TIER=e2e
start=$SECONDS
RUN=    # temp folder of this run (workspace copy, code-server state, results), deleted on exit
CS_PID= # code-server, stopped on exit

SUMMARIZED=
summary() { # passed failed skipped
  SUMMARIZED=1
  echo "$TIER: $1 passed, $2 failed, $3 skipped"
  if [[ -n ${MEDAD_TEST_SUMMARY:-} ]]; then
    printf '{"tier":"%s","passed":%d,"failed":%d,"skipped":%d}\n' "$TIER" "$1" "$2" "$3" >>"$MEDAD_TEST_SUMMARY"
  fi
}

# A failing install or build still ends with the counts line (one failure), so CI totals never miss this tier.
on_exit() {
  local rc=$?
  if [[ -z $SUMMARIZED && $rc -ne 0 ]]; then
    echo "e2e: stopped with exit status $rc before the suite ran (see the lines above)" >&2
    summary 0 1 0
  fi
  if [[ -n $CS_PID ]] && kill -0 "$CS_PID" 2>/dev/null; then
    kill "$CS_PID" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$CS_PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$CS_PID" 2>/dev/null || true
  fi
  [[ -z $RUN ]] || rm -rf "$RUN"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

bash "$REPO/scripts/e2e/install.sh"

# Build only when out/ is missing or older than a source, so `npm test` (which builds first) does not build twice.
if [[ -z ${MEDAD_E2E_NO_BUILD:-} ]]; then
  stamp=$REPO/out/test/e2e/index.js
  newer=missing
  if [[ -f $stamp ]]; then
    newer=$(cd "$REPO" && find . \( -name node_modules -o -name out -o -name .e2e -o -name .package -o -name .git \) -prune -o -type f \
      \( -name '*.ts' -o -name 'package.json' -o -name 'tsconfig*.json' \) -newer "$stamp" -print 2>/dev/null | head -1 || true)
  fi
  if [[ -n $newer ]]; then
    echo "e2e: npm run build"
    (cd "$REPO" && timeout 300 npm run build --silent)
  fi
fi

NOTEBOOKS=${MEDAD_E2E_NOTEBOOKS:-$REPO/notebooks}
[[ -f $REPO/out/test/e2e/index.js ]] || { echo "e2e: out/test/e2e/index.js missing (npm run build)" >&2; exit 1; }

# The .vsix under test: repackaged when out/ or package.json is newer (packaging takes ≈30 s, the build is done).
VERSION=$(node -p 'require(process.argv[1]).version' "$REPO/package.json")
VSIX=${MEDAD_E2E_VSIX:-$REPO/medad-lab-linux-x64-$VERSION.vsix}
if [[ -z ${MEDAD_E2E_VSIX:-} ]]; then
  stale=missing
  if [[ -f $VSIX ]]; then
    stale=$(find "$REPO/out" "$REPO/package.json" "$REPO/scripts/package.js" -type f -newer "$VSIX" \
      -not -path "$REPO/out/test/*" -print -quit 2>/dev/null || true)
  fi
  if [[ -n $stale ]]; then
    echo "e2e: packaging $(basename "$VSIX") (newer: ${stale#"$REPO"/})"
    (cd "$REPO" && timeout 300 node scripts/package.js --target linux-x64 --out "$VSIX" >/dev/null)
  fi
fi
[[ -f $VSIX ]] || { echo "e2e: $VSIX not found" >&2; exit 1; }

# The suites' host: an empty development extension (another id, so the installed medad.medad-lab is the one loaded).
RUNNER_EXT=$REPO/out/test/e2e
echo '{ "name": "medad-lab-e2e-runner", "publisher": "medad", "version": "0.0.0", "engines": { "vscode": "^1.100.0" } }' \
  >"$RUNNER_EXT/package.json"

# All state of this run lives in one temp folder: workspace copy, code-server user data, XDG dirs, results.
RUN=$(mktemp -d "${TMPDIR:-/tmp}/medad-e2e.XXXXXX")

WS=$RUN/workspace
mkdir -p "$WS" "$RUN/ud/User" "$RUN/ext"
cp -R "$NOTEBOOKS/." "$WS/"
cat >"$RUN/ud/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "workbench.enableExperiments": false,
  "notebook.output.textLineLimit": 60
}
EOF
export XDG_CONFIG_HOME=$RUN/xdg/config XDG_DATA_HOME=$RUN/xdg/data XDG_CACHE_HOME=$RUN/xdg/cache
# code-server and its extension hosts leave IPC sockets in os.tmpdir(); keep them in the run folder we delete.
mkdir -p "$RUN/tmp"
# The kernel's model and feature caches (the demo model is generated on first use) stay out of $HOME too.
export MEDAD_CACHE=$RUN/medad-cache/models MEDAD_FEATURE_CACHE=$RUN/medad-cache/features
export MEDAD_E2E_RESULTS=$RUN/results.json # read by test/e2e/index.ts inside the extension host (inherits our env)

# Install the .vsix as a user does (code-server --install-extension), into this run's empty extensions folder.
TMPDIR=$RUN/tmp "$E2E/cs/node_modules/.bin/code-server" --user-data-dir "$RUN/ud" --extensions-dir "$RUN/ext" \
  --install-extension "$VSIX" >"$RUN/install.log" 2>&1 || { cat "$RUN/install.log" >&2; exit 1; }
INSTALLED=$(find "$RUN/ext" -mindepth 1 -maxdepth 1 -type d -name 'medad.medad-lab-*' -print -quit)
[[ -n $INSTALLED ]] || { echo "e2e: the .vsix did not install; log:" >&2; cat "$RUN/install.log" >&2; exit 1; }
echo "e2e: installed $(basename "$VSIX") into ${INSTALLED#"$RUN"/}"
export MEDAD_E2E_INSTALLED_EXT=$INSTALLED # the suites check that this copy is the one running

# An untrusted folder outside the workspace: the driver opens it in a second window and checks nothing runs.
UNTRUSTED=$RUN/untrusted
mkdir -p "$UNTRUSTED"
cp "$REPO/scripts/e2e/untrusted.ipynb" "$UNTRUSTED/"

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
TMPDIR=$RUN/tmp "$E2E/cs/node_modules/.bin/code-server" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --user-data-dir "$RUN/ud" --extensions-dir "$RUN/ext" \
  "$WS" >"$RUN/code-server.log" 2>&1 &
CS_PID=$!

for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  kill -0 "$CS_PID" 2>/dev/null || break
  sleep 0.25
done
if ! curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; then
  echo "e2e: code-server did not come up on port $PORT; its log:" >&2
  cat "$RUN/code-server.log" >&2
  exit 1
fi

set +e
E2E_URL=http://127.0.0.1:$PORT E2E_WORKSPACE=$WS E2E_UNTRUSTED=$UNTRUSTED E2E_EXT_DIR=$RUNNER_EXT E2E_TESTS_PATH=$REPO/out/test/e2e/index.js \
  E2E_ARTIFACTS=$REPO/test-artifacts/e2e E2E_SERVER_LOG=$RUN/code-server.log timeout 900 node "$REPO/scripts/e2e/driver.js"
rc=$?
set -e

if [[ -f $MEDAD_E2E_RESULTS ]]; then
  read -r passed failed skipped < <(node -e 'const r=require(process.argv[1]);
    console.log(r.passes, r.failures, r.pending)' "$MEDAD_E2E_RESULTS")
else
  echo "e2e: no results file; code-server log tail:" >&2
  tail -40 "$RUN/code-server.log" >&2
  passed=0 failed=1 skipped=0
fi
echo "e2e: wall time $((SECONDS - start)) s"
summary "$passed" "$failed" "$skipped"
[[ $rc -eq 0 && $failed -eq 0 ]]
