#!/usr/bin/env bash
# shellcheck disable=SC2034  # SVGAI_ROOT / ENV_FILE are read by the functions of lib.sh
# Rolls back to an earlier release: stops the server, restores the database backup taken before the release
# being undone, switches `current`, starts and waits for readiness.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: rollback.sh --root DIR [--to RELEASE_ID] [--backup BACKUP_DIR | --keep-data] [--timeout SECONDS]
  --to        release to return to (default: the one \`previous\` points at)
  --backup    database backup to restore (default: the newest backup whose manifest names that release,
              i.e. the one deploy.sh took just before replacing it)
  --keep-data do not touch the database (only when the undone release ran no migrations)
USAGE
}

TO="" BACKUP="" KEEP_DATA=0 TIMEOUT=120 LOCK=1
while [ $# -gt 0 ]; do
  case "$1" in
    --root) SVGAI_ROOT="$2"; shift 2 ;;
    --to) TO="$2"; shift 2 ;;
    --backup) BACKUP="$2"; shift 2 ;;
    --keep-data) KEEP_DATA=1; shift ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --no-lock) LOCK=0; shift ;; # used by deploy.sh, which already holds the lock
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
require_root_dir
need_cmd node
need_cmd curl
if [ "$LOCK" = 1 ]; then take_deploy_lock; fi

[ -n "$TO" ] || TO="$(release_of previous)"
[ -n "$TO" ] || die "no previous release to roll back to (pass --to RELEASE_ID; see $SVGAI_ROOT/releases)"
[ -f "$SVGAI_ROOT/releases/$TO/server.js" ] || die "release $TO not found in $SVGAI_ROOT/releases"
undone="$(release_of current)"

if [ "$KEEP_DATA" = 0 ] && [ -z "$BACKUP" ]; then
  # Newest backup taken while $TO was current.
  for m in $(ls -1d "$SVGAI_ROOT"/backups/*/ 2>/dev/null | sort -r); do
    r="$(node -e 'process.stdout.write(require(process.argv[1]).release||"")' "${m}manifest.json" 2>/dev/null || true)"
    if [ "$r" = "$TO" ]; then BACKUP="${m%/}"; break; fi
  done
  [ -n "$BACKUP" ] || die "no backup taken while $TO was current: pass --backup DIR or --keep-data"
fi

log "rolling back ${undone:-?} -> $TO${BACKUP:+ (database from $BACKUP)}"
stop_server
if [ "$KEEP_DATA" = 0 ]; then "$SCRIPT_DIR/restore.sh" --root "$SVGAI_ROOT" --backup "$BACKUP"; fi
switch_current "$TO"
[ -z "$undone" ] || [ "$undone" = "$TO" ] || ln -sfn "releases/$undone" "$SVGAI_ROOT/previous"
start_server "$SVGAI_ROOT/current"
wait_ready "$TIMEOUT" || die "release $TO did not become ready after the rollback (logs: $SVGAI_ROOT/logs/server.log)"
log "rolled back to $TO"
echo "RELEASE=$TO"
