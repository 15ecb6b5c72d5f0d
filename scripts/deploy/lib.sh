# Shared helpers of the deploy scripts (sourced, not run). Host layout under SVGAI_ROOT:
#   shared/.env        configuration (DATABASE_URL, PORT, secrets...)   shared/data/   SQLite file, disk cache
#   releases/<id>/     assembled releases (scripts/deploy/assemble-release.mjs)
#   current, previous  symlinks to releases        backups/<stamp>-<label>/   database, config, models
#   active-slot        blue | green: the slot nginx sends traffic to (NGINX_UPSTREAM_FILE)
#   logs/server-<slot>.log, logs/worker-<slot>-<n>.log    run/<slot>.pid, run/<slot>.release, run/workers/
# shellcheck shell=bash
# shellcheck disable=SC2034  # SVGAI_ROOT / ENV_FILE are set by the scripts that source this file

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2
  exit 1
}
need_cmd() { command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not installed${2:+ ($2)}"; }

require_root_dir() {
  [ -n "${SVGAI_ROOT:-}" ] || die "no deploy root: pass --root DIR or set SVGAI_ROOT"
  mkdir -p "$SVGAI_ROOT"/{releases,backups,logs,run,shared/data}
  SVGAI_ROOT="$(cd "$SVGAI_ROOT" && pwd)"
  ENV_FILE="$SVGAI_ROOT/shared/.env"
  [ -f "$ENV_FILE" ] || die "missing $ENV_FILE: create it from .env.example (DATABASE_URL, PORT, secrets)"
  adopt_single_server
}

# One deploy or rollback per root at a time: fd 9 holds the lock until the script exits (exec in the caller's shell).
take_deploy_lock() {
  exec 9>"$SVGAI_ROOT/run/deploy.lock"
  flock -n 9 || die "another deploy or rollback is running on $SVGAI_ROOT"
}

# Reads one variable from the env file without executing it (values may hold $, spaces or quotes).
env_get() {
  local name="$1" default="${2:-}" line value
  line="$(grep -E "^[[:space:]]*(export[[:space:]]+)?${name}=" "$ENV_FILE" | tail -n 1 || true)"
  if [ -z "$line" ]; then
    printf '%s' "${!name:-$default}"
    return
  fi
  value="${line#*=}"
  value="${value%$'\r'}"
  case "$value" in
    \"*\") value="${value:1:${#value}-2}" ;;
    \'*\') value="${value:1:${#value}-2}" ;;
  esac
  printf '%s' "$value"
}

# Exports every KEY=value of the env file literally (no shell expansion; optional surrounding quotes).
export_env_file() {
  local line name value
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    line="${line#export }"
    [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    name="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    case "$value" in
      \"*\") value="${value:1:${#value}-2}" ;;
      \'*\') value="${value:1:${#value}-2}" ;;
    esac
    # The env file is the host's source of truth: it wins over whatever the caller's shell exported.
    export "$name=$value"
  done <"$ENV_FILE"
}

# The database URL with a relative SQLite path pinned to shared/ (the server runs from the release folder).
database_url() {
  local url
  url="$(env_get DATABASE_URL "file:./data/app.db")"
  case "$url" in
    file:/*) printf '%s' "$url" ;;
    file:*) printf 'file:%s/shared/%s' "$SVGAI_ROOT" "${url#file:./}" ;;
    postgres://* | postgresql://*) printf '%s' "$url" ;;
    *) die "DATABASE_URL must be file:... or postgresql://... (see docs/DEPLOYMENT.md)" ;;
  esac
}
database_kind() { case "$(database_url)" in file:*) echo sqlite ;; *) echo postgresql ;; esac; }
sqlite_file() { local u; u="$(database_url)"; u="${u#file:}"; printf '%s' "${u%%\?*}"; }
masked_database_url() { database_url | sed -E 's#(://[^:/@]*):[^@]*@#\1:****@#'; }

# Blue/green: two slots, each able to run one server on its own port (BLUE_PORT, default PORT or 3000;
# GREEN_PORT, default BLUE_PORT + 1). The file `active-slot` in the root names the slot nginx sends traffic to;
# a deploy starts the new release in the other slot, switches nginx, then drains the old one.
SLOTS=(blue green)
active_slot() { if [ -f "$SVGAI_ROOT/active-slot" ]; then cat "$SVGAI_ROOT/active-slot"; fi; }
other_slot() { if [ "$1" = blue ]; then echo green; else echo blue; fi; }
slot_port() {
  local blue
  blue="$(env_get BLUE_PORT "$(env_get PORT 3000)")"
  if [ "$1" = blue ]; then printf '%s' "$blue"; else printf '%s' "$(env_get GREEN_PORT $((blue + 1)))"; fi
}
slot_url() { printf 'http://127.0.0.1:%s' "$(slot_port "$1")"; }
# METRICS_PORT (the separate metrics listener), when set, is blue's; green's is the next port. Workers get
# WORKER_METRICS_PORT + n - 1 (blue) and + BATCH_WORKERS + n - 1 (green), or none (0) without it.
slot_metrics_port() {
  local base
  base="$(env_get METRICS_PORT 0)"
  if [ "$base" = 0 ] || [ "$1" = blue ]; then printf '%s' "$base"; else printf '%s' $((base + 1)); fi
}
worker_metrics_port() {
  local base n
  base="$(env_get WORKER_METRICS_PORT 0)" n="$(env_get BATCH_WORKERS 0)"
  if [ "$base" = 0 ]; then printf 0; elif [ "$1" = blue ]; then printf '%s' $((base + $2 - 1)); else printf '%s' $((base + n + $2 - 1)); fi
}
server_port() { slot_port "$(active_slot | grep . || echo blue)"; }
base_url() { printf 'http://127.0.0.1:%s' "$(server_port)"; }
release_of() { [ -L "$SVGAI_ROOT/$1" ] && basename "$(readlink "$SVGAI_ROOT/$1")" || true; }

# A host deployed before blue/green ran one server from run/server.pid on PORT: that is the blue slot.
adopt_single_server() {
  if [ -f "$SVGAI_ROOT/run/server.pid" ] && [ ! -f "$SVGAI_ROOT/active-slot" ]; then
    mv "$SVGAI_ROOT/run/server.pid" "$SVGAI_ROOT/run/blue.pid"
    release_of current >"$SVGAI_ROOT/run/blue.release"
    echo blue >"$SVGAI_ROOT/active-slot"
    log "adopted the running single server as slot blue (port $(slot_port blue))"
  fi
}

# Environment of the server and migration runner: the env file, plus paths pinned to this host's layout.
# Replaces the calling process (exec): run it in a subshell or in the background, never in the script itself.
# SLOT_PORT (set by start_slot) is the port the server listens on.
run_with_env() {
  local release_dir="$1"
  shift
  {
    export_env_file
    export NODE_ENV=production NEXT_MANUAL_SIG_HANDLE=true NEXT_TELEMETRY_DISABLED=1
    DATABASE_URL="$(database_url)" || exit 1
    PORT="${SLOT_PORT:-$(server_port)}"
    export DATABASE_URL PORT
    # Two slots (and their workers) run side by side during a switch: each gets its own metrics port.
    if [ -n "${SLOT_METRICS_PORT:-}" ]; then export METRICS_PORT="$SLOT_METRICS_PORT"; fi
    export HOSTNAME="${HOST:-0.0.0.0}"
    export DATA_DIR="${DATA_DIR:-$SVGAI_ROOT/shared/data}"
    export CACHE_DIR="${CACHE_DIR:-$SVGAI_ROOT/shared/data/cache}"
    export MODELS_DIR="$release_dir/models"
    APP_VERSION="$(basename "$(readlink -f "$release_dir")")"
    export APP_VERSION
    cd "$release_dir" || exit 1
    # exec: the recorded pid must be the server's own, so SIGTERM reaches it (and not a wrapper shell).
    if declare -F "$1" >/dev/null; then "$@"; else exec "$@"; fi
  }
}

as_service_user() {
  # RUN_AS=user runs the server unprivileged when the scripts run as root (like the image's USER). setpriv
  # execs in place (runuser would stay as a parent and keep the pid file pointing at itself).
  if [ -n "${RUN_AS:-}" ] && [ "$(id -u)" = 0 ]; then
    exec setpriv --reuid="$(id -u "$RUN_AS")" --regid="$(id -g "$RUN_AS")" --init-groups -- "$@"
  else
    exec "$@"
  fi
}

pid_alive() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 1
  printf '%s' "$pid"
}
slot_pid() { pid_alive "$SVGAI_ROOT/run/$1.pid"; }
slot_release() { if slot_pid "$1" >/dev/null && [ -f "$SVGAI_ROOT/run/$1.release" ]; then cat "$SVGAI_ROOT/run/$1.release"; fi; }

# The pid of a running server of this root (the active slot first), for "is anything running".
server_pid() {
  local slot
  for slot in $(active_slot) "${SLOTS[@]}"; do
    if slot_pid "$slot"; then return 0; fi
  done
  return 1
}

start_slot() {
  local slot="$1" release_dir="$2" port pid
  port="$(slot_port "$slot")"
  if pid="$(slot_pid "$slot")"; then die "slot $slot already runs a server (pid $pid): stop it first"; fi
  [ -f "$release_dir/server.js" ] || die "$release_dir is not a release (no server.js)"
  if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/api/health/live"; then
    die "port $port (slot $slot) already answers although no server of $SVGAI_ROOT runs there: stop that process first"
  fi
  if [ -n "${RUN_AS:-}" ] && [ "$(id -u)" = 0 ]; then
    chown -R "$RUN_AS" "$SVGAI_ROOT/shared/data" "$SVGAI_ROOT/logs"
  fi
  log "starting $(basename "$(readlink -f "$release_dir")") in slot $slot on port $port"
  # 9>&-: the server must not inherit the deploy lock, or it would hold it for its whole life.
  SLOT_PORT="$port" SLOT_METRICS_PORT="$(slot_metrics_port "$slot")" run_with_env "$release_dir" as_service_user node server.js \
    >>"$SVGAI_ROOT/logs/server-$slot.log" 2>&1 </dev/null 9>&- &
  echo $! >"$SVGAI_ROOT/run/$slot.pid"
  basename "$(readlink -f "$release_dir")" >"$SVGAI_ROOT/run/$slot.release"
}

# SIGTERM, then wait for the app's graceful shutdown (in-flight requests finish; lib/lifecycle/shutdown.ts).
stop_slot() {
  local slot="$1" pid
  pid="$(slot_pid "$slot")" || {
    rm -f "$SVGAI_ROOT/run/$slot.pid" "$SVGAI_ROOT/run/$slot.release"
    return 0
  }
  log "stopping slot $slot (pid $pid): SIGTERM, draining in-flight conversions"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$((${STOP_TIMEOUT:-40} * 5))"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "slot $slot did not stop in ${STOP_TIMEOUT:-40} s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$SVGAI_ROOT/run/$slot.pid" "$SVGAI_ROOT/run/$slot.release"
}

# Every server of this root (restore, first-deploy failure).
stop_server() {
  local slot
  for slot in "${SLOTS[@]}"; do stop_slot "$slot"; done
}

wait_slot_ready() {
  local slot="$1" timeout="${2:-90}" url deadline logfile
  url="$(slot_url "$slot")/api/health/ready"
  logfile="$SVGAI_ROOT/logs/server-$slot.log"
  deadline=$(($(date +%s) + timeout))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! slot_pid "$slot" >/dev/null; then
      log "server of slot $slot exited during start-up; last log lines:"
      tail -n 20 "$logfile" >&2 || true
      return 1
    fi
    if curl -fs -o /dev/null --max-time 3 "$url"; then
      log "ready: $url"
      return 0
    fi
    sleep 0.5
  done
  log "not ready after ${timeout} s: $(curl -sS --max-time 3 "$url" 2>&1 | head -c 400)"
  log "last server log lines:"
  tail -n 15 "$logfile" | cut -c1-800 >&2 || true
  return 1
}
wait_ready() { wait_slot_ready "$(active_slot | grep . || echo blue)" "${1:-90}"; }

nginx_cmd() {
  local conf
  NGINX=("$(env_get NGINX_BIN nginx)")
  conf="$(env_get NGINX_CONF)"
  if [ -n "$conf" ]; then NGINX+=(-c "$conf"); fi
}

# Points nginx at a slot: writes the upstream include file (NGINX_UPSTREAM_FILE, included inside the
# `upstream svgai_app { ... }` block), checks the configuration with `nginx -t` and reloads. nginx's reload is
# graceful: new worker processes take new connections, old ones finish the requests they hold. On any failure
# the previous file is put back and nothing changes. Then records the slot in `active-slot`.
switch_proxy() {
  local slot="$1" file port host err
  port="$(slot_port "$slot")"
  host="$(env_get UPSTREAM_HOST 127.0.0.1)"
  file="$(env_get NGINX_UPSTREAM_FILE)"
  if [ -n "$file" ]; then
    need_cmd "$(env_get NGINX_BIN nginx)" "apt-get install nginx-light"
    nginx_cmd
    mkdir -p "$(dirname "$file")"
    if [ -f "$file" ]; then cp -p "$file" "$file.prev"; else rm -f "$file.prev"; fi
    printf '# Written by scripts/deploy (slot %s, release %s). Do not edit: the next deploy replaces it.\nserver %s:%s;\n' \
      "$slot" "$(slot_release "$slot")" "$host" "$port" >"$file.tmp"
    mv "$file.tmp" "$file"
    if ! err="$("${NGINX[@]}" -t 2>&1)"; then
      if [ -f "$file.prev" ]; then mv "$file.prev" "$file"; else rm -f "$file"; fi
      log "nginx -t refused the configuration with the new upstream (put the old one back): $err"
      return 1
    fi
    if ! err="$("${NGINX[@]}" -s reload 2>&1)"; then
      if [ -f "$file.prev" ]; then mv "$file.prev" "$file"; else rm -f "$file"; fi
      log "nginx -s reload failed (put the old upstream back): $err"
      return 1
    fi
    rm -f "$file.prev"
    log "nginx now sends traffic to slot $slot ($host:$port)"
    # Old nginx workers finish the requests they already hold against the old slot; give them a moment before
    # that slot is told to drain (it keeps serving while it drains, so this only narrows a race).
    sleep "$(env_get PROXY_SETTLE_SECONDS 2)"
  else
    log "NGINX_UPSTREAM_FILE is not set: no proxy to switch; slot $slot answers on port $port (point your proxy there)"
  fi
  echo "$slot" >"$SVGAI_ROOT/active-slot.tmp" && mv "$SVGAI_ROOT/active-slot.tmp" "$SVGAI_ROOT/active-slot"
}

# Batch workers (BATCH_WORKERS processes per host; WORKER_COMMAND, default `node scripts/worker.mjs`, which is what
# `npm run worker` runs), one process group each so SIGTERM reaches the worker behind a wrapper (npm, sh): on SIGTERM a worker stops taking jobs and finishes or hands
# back the ones it holds (BullMQ), so the old release's workers are stopped only after the new ones run.
worker_pidfiles() { find "$SVGAI_ROOT/run/workers" -maxdepth 1 -name "$1.*.pid" 2>/dev/null | sort; }

start_workers() {
  local slot="$1" release_dir="$2" n i cmd pidfile
  n="$(env_get BATCH_WORKERS 0)"
  [[ "$n" =~ ^[0-9]+$ ]] || die "BATCH_WORKERS must be a whole number (got '$n')"
  [ "$n" -gt 0 ] || return 0
  cmd="$(env_get WORKER_COMMAND "node scripts/worker.mjs")"
  mkdir -p "$SVGAI_ROOT/run/workers"
  for i in $(seq 1 "$n"); do
    pidfile="$SVGAI_ROOT/run/workers/$slot.$i.pid"
    if pid_alive "$pidfile" >/dev/null; then die "worker $slot.$i already runs: stop it first"; fi
    # sh -c "exec ...": the command may quote its arguments; exec keeps the recorded pid the worker's own.
    SLOT_METRICS_PORT="$(worker_metrics_port "$slot" "$i")" run_with_env "$release_dir" as_service_user setsid sh -c "exec $cmd" \
      >>"$SVGAI_ROOT/logs/worker-$slot-$i.log" 2>&1 </dev/null 9>&- &
    echo $! >"$pidfile"
  done
  sleep 1
  for pidfile in $(worker_pidfiles "$slot"); do
    pid_alive "$pidfile" >/dev/null || {
      tail -n 20 "$SVGAI_ROOT/logs/worker-$slot-$(basename "$pidfile" .pid | cut -d. -f2).log" >&2 || true
      return 1
    }
  done
  log "started $n worker(s) of $(basename "$(readlink -f "$release_dir")") ($cmd)"
}

# SIGTERM to every worker group of a slot, then wait (WORKER_STOP_TIMEOUT, default 120 s) for the groups to end.
stop_workers() {
  local slot="$1" pidfile pid left
  local files=()
  mapfile -t files < <(worker_pidfiles "$slot")
  [ "${#files[@]}" -gt 0 ] || return 0
  for pidfile in "${files[@]}"; do
    pid="$(cat "$pidfile")"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  log "stopping ${#files[@]} worker(s) of slot $slot: SIGTERM, they finish or hand back their jobs"
  for _ in $(seq 1 "$((${WORKER_STOP_TIMEOUT:-120} * 5))"); do
    left=0
    for pidfile in "${files[@]}"; do
      kill -0 -- "-$(cat "$pidfile")" 2>/dev/null && left=$((left + 1))
    done
    [ "$left" -gt 0 ] || break
    sleep 0.2
  done
  for pidfile in "${files[@]}"; do
    pid="$(cat "$pidfile")"
    if kill -0 -- "-$pid" 2>/dev/null; then
      log "worker $(basename "$pidfile" .pid) did not stop in ${WORKER_STOP_TIMEOUT:-120} s: SIGKILL (its jobs stall and are retried)"
      kill -KILL -- "-$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do
        kill -0 -- "-$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
    rm -f "$pidfile"
  done
}

switch_current() {
  local target="$1" old
  old="$(release_of current)"
  if [ -n "$old" ] && [ "$old" != "$target" ]; then ln -sfn "releases/$old" "$SVGAI_ROOT/previous"; fi
  ln -sfn "releases/$target" "$SVGAI_ROOT/current.tmp" && mv -T "$SVGAI_ROOT/current.tmp" "$SVGAI_ROOT/current"
}

# Node tool of a release (falls back to the checkout): runs sqlite-backup.mjs with better-sqlite3 available.
sqlite_tool() {
  local dir
  dir="$SVGAI_ROOT/current"
  [ -f "$dir/scripts/deploy/sqlite-backup.mjs" ] || dir="$REPO_ROOT"
  (cd "$dir" && node scripts/deploy/sqlite-backup.mjs "$@")
}

# Row counts of every table as JSON {"tables":{...}} (PostgreSQL through psql).
pg_counts() {
  local url="$1" tables t n first=1
  tables="$(psql "$url" -XAtqc "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY tablename")" ||
    die "cannot list tables of $(masked_database_url)"
  printf '{"tables":{'
  for t in $tables; do
    n="$(psql "$url" -XAtqc "SELECT count(*) FROM \"$t\"")"
    [ $first = 1 ] || printf ','
    first=0
    printf '"%s":%s' "$t" "$n"
  done
  printf '}}\n'
}
