#!/usr/bin/env bash
# shellcheck disable=SC2034  # SVGAI_ROOT / ENV_FILE are read by the functions of lib.sh
# Backs up a deployment: the database (pg_dump, or a consistent SQLite copy), the config (.env) and the models of
# the current release, with row counts so a restore can be verified. Prints BACKUP_DIR=<path> last.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: backup.sh --root DIR [--label NAME]
  Writes DIR/backups/<UTC stamp>-<label>/ with:
    db.dump (PostgreSQL, pg_dump custom format) or db.sqlite (SQLite online backup)
    env (the shared .env, mode 600), models/ (of the current release), manifest.json (release, row counts)
  Safe while the server runs. Needs pg_dump + psql for PostgreSQL (apt-get install postgresql-client).
USAGE
}

LABEL=manual
while [ $# -gt 0 ]; do
  case "$1" in
    --root) SVGAI_ROOT="$2"; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
require_root_dir
[[ "$LABEL" =~ ^[A-Za-z0-9._-]+$ ]] || die "--label may only hold letters, digits, . _ -"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dir="$SVGAI_ROOT/backups/$stamp-$LABEL"
n=1
while [ -e "$dir" ]; do dir="$SVGAI_ROOT/backups/$stamp-$LABEL.$n"; n=$((n + 1)); done
tmp="$dir.partial"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

kind="$(database_kind)"
log "backing up $kind database $(masked_database_url)"
if [ "$kind" = postgresql ]; then
  need_cmd pg_dump "apt-get install postgresql-client"
  need_cmd psql "apt-get install postgresql-client"
  url="$(database_url)"
  pg_dump --format=custom --no-owner --no-privileges --file "$tmp/db.dump" "$url" || die "pg_dump failed"
  counts="$(pg_counts "$url")"
else
  file="$(sqlite_file)"
  if [ -f "$file" ]; then
    counts="$(sqlite_tool backup "$file" "$tmp/db.sqlite")" || die "SQLite backup of $file failed"
  else
    log "no SQLite file yet at $file: nothing to back up (first deploy)"
    counts='{"tables":{}}'
    touch "$tmp/db.empty"
  fi
fi

install -m 600 "$ENV_FILE" "$tmp/env"
release="$(release_of current)"
if [ -n "$release" ] && [ -d "$SVGAI_ROOT/current/models" ]; then cp -a "$SVGAI_ROOT/current/models" "$tmp/models"; fi

cat >"$tmp/manifest.json" <<JSON
{
  "createdAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "label": "$LABEL",
  "release": "$release",
  "database": { "kind": "$kind", "url": "$(masked_database_url)" },
  "counts": $counts
}
JSON
mv "$tmp" "$dir"
trap - EXIT
log "backup written: $dir ($(du -sh "$dir" | cut -f1))"
echo "BACKUP_DIR=$dir"
