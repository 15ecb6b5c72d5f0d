# Shared helpers of the deploy scripts (sourced, not run). Host layout under SVGAI_ROOT:
#   shared/.env        configuration (DATABASE_URL, PORT, secrets...)   shared/data/   SQLite file, disk cache
#   releases/<id>/     assembled releases (scripts/deploy/assemble-release.mjs)
#   current, previous  symlinks to releases        backups/<stamp>-<label>/   database, config, models
#   logs/server.log    run/server.pid
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

server_port() { env_get PORT 3000; }
base_url() { printf 'http://127.0.0.1:%s' "$(server_port)"; }
release_of() { [ -L "$SVGAI_ROOT/$1" ] && basename "$(readlink "$SVGAI_ROOT/$1")" || true; }

# Environment of the server and migration runner: the env file, plus paths pinned to this host's layout.
# Replaces the calling process (exec): run it in a subshell or in the background, never in the script itself.
run_with_env() {
  local release_dir="$1"
  shift
  {
    export_env_file
    export NODE_ENV=production NEXT_MANUAL_SIG_HANDLE=true NEXT_TELEMETRY_DISABLED=1
    DATABASE_URL="$(database_url)" || exit 1
    PORT="$(server_port)"
    export DATABASE_URL PORT
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

server_pid() {
  local pidfile="$SVGAI_ROOT/run/server.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 1
  printf '%s' "$pid"
}

start_server() {
  local release_dir="$1" pid
  if pid="$(server_pid)"; then die "a server is already running (pid $pid): stop it first"; fi
  [ -f "$release_dir/server.js" ] || die "$release_dir is not a release (no server.js)"
  if curl -fs -o /dev/null --max-time 2 "$(base_url)/api/health/live"; then
    die "port $(server_port) already answers although no server of $SVGAI_ROOT runs: stop that process first"
  fi
  if [ -n "${RUN_AS:-}" ] && [ "$(id -u)" = 0 ]; then
    chown -R "$RUN_AS" "$SVGAI_ROOT/shared/data" "$SVGAI_ROOT/logs"
  fi
  log "starting $(basename "$(readlink -f "$release_dir")") on port $(server_port)"
  # 9>&-: the server must not inherit the deploy lock, or it would hold it for its whole life.
  run_with_env "$release_dir" as_service_user node server.js >>"$SVGAI_ROOT/logs/server.log" 2>&1 </dev/null 9>&- &
  echo $! >"$SVGAI_ROOT/run/server.pid"
}

stop_server() {
  local pid i
  pid="$(server_pid)" || {
    rm -f "$SVGAI_ROOT/run/server.pid"
    return 0
  }
  log "stopping server (pid $pid): SIGTERM, draining in-flight conversions"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "${STOP_TIMEOUT:-40}"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "server did not stop in ${STOP_TIMEOUT:-40} s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$SVGAI_ROOT/run/server.pid"
}

wait_ready() {
  local timeout="${1:-90}" url deadline
  url="$(base_url)/api/health/ready"
  deadline=$(($(date +%s) + timeout))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! server_pid >/dev/null; then
      log "server exited during start-up; last log lines:"
      tail -n 20 "$SVGAI_ROOT/logs/server.log" >&2 || true
      return 1
    fi
    if curl -fs -o /dev/null --max-time 3 "$url"; then
      log "ready: $url"
      return 0
    fi
    sleep 1
  done
  log "not ready after ${timeout} s: $(curl -sS --max-time 3 "$url" 2>&1 | head -c 400)"
  log "last server log lines:"
  tail -n 15 "$SVGAI_ROOT/logs/server.log" | cut -c1-800 >&2 || true
  return 1
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
