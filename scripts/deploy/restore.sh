#!/usr/bin/env bash
# shellcheck disable=SC2034  # SVGAI_ROOT / ENV_FILE are read by the functions of lib.sh
# Restores a backup made by backup.sh: the database (and with --with-config the .env; models travel with the
# release). Verifies the row counts against the backup's manifest and fails loudly when they differ.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: restore.sh --root DIR --backup BACKUP_DIR [--with-config] [--stop]
  Replaces the database with the backup's copy. The server must be stopped (--stop stops it; start it again
  with deploy.sh or rollback.sh). PostgreSQL: the public schema is dropped and recreated before pg_restore, so
  tables added after the backup do not linger. SQLite: the file (and its -wal/-shm) is replaced.
USAGE
}

BACKUP="" WITH_CONFIG=0 STOP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) SVGAI_ROOT="$2"; shift 2 ;;
    --backup) BACKUP="$2"; shift 2 ;;
    --with-config) WITH_CONFIG=1; shift ;;
    --stop) STOP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
require_root_dir
[ -n "$BACKUP" ] || die "--backup BACKUP_DIR is required (see DIR/backups/)"
[ -f "$BACKUP/manifest.json" ] || die "$BACKUP is not a backup (no manifest.json)"
if pid="$(server_pid)"; then
  [ "$STOP" = 1 ] || die "the server is running (pid $pid): stop it or pass --stop"
  stop_server
fi

if [ "$WITH_CONFIG" = 1 ]; then
  install -m 600 "$BACKUP/env" "$ENV_FILE"
  log "restored config to $ENV_FILE"
fi

expected="$(node -e 'process.stdout.write(JSON.stringify(require(process.argv[1]).counts))' "$(cd "$BACKUP" && pwd)/manifest.json")"
kind="$(database_kind)"
log "restoring $kind database $(masked_database_url) from $BACKUP"
if [ "$kind" = postgresql ]; then
  [ -f "$BACKUP/db.dump" ] || die "$BACKUP holds no PostgreSQL dump (db.dump): was it taken from SQLite?"
  need_cmd pg_restore "apt-get install postgresql-client"
  url="$(database_url)"
  psql "$url" -XqAt -v ON_ERROR_STOP=1 -c 'DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;' >/dev/null ||
    die "could not reset the public schema of $(masked_database_url)"
  pg_restore --no-owner --no-privileges --single-transaction --exit-on-error -d "$url" "$BACKUP/db.dump" ||
    die "pg_restore failed"
  actual="$(pg_counts "$url")"
else
  file="$(sqlite_file)"
  rm -f "$file" "$file-wal" "$file-shm" "$file-journal"
  if [ -f "$BACKUP/db.empty" ]; then
    log "the backup was taken before the database existed: left it absent"
    actual='{"tables":{}}'
  else
    [ -f "$BACKUP/db.sqlite" ] || die "$BACKUP holds no SQLite copy (db.sqlite): was it taken from PostgreSQL?"
    mkdir -p "$(dirname "$file")"
    cp "$BACKUP/db.sqlite" "$file"
    if [ -n "${RUN_AS:-}" ] && [ "$(id -u)" = 0 ]; then chown "$RUN_AS" "$file"; fi
    actual="$(sqlite_tool counts "$file")"
  fi
fi

same="$(node -e 'const [a,b]=process.argv.slice(1).map(JSON.parse); const s=(o)=>JSON.stringify(Object.keys(o).sort().map(k=>[k,o[k]])); process.stdout.write(s(a.tables)===s(b.tables)?"yes":"no")' "$expected" "$actual")"
[ "$same" = yes ] || die "row counts after restore differ from the backup: expected $expected, got $actual"
log "restore verified: $actual"
