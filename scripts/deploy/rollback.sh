#!/usr/bin/env bash
# shellcheck disable=SC2034  # SVGAI_ROOT / ENV_FILE are read by the functions of lib.sh
# Rolls back to an earlier release, the way deploy.sh deploys: the earlier release starts in the idle slot, waits
# for readiness, nginx is switched to it, and the undone release drains and stops. When the database must go
# back too (the undone release migrated it, or --restore-data), the servers stop while the backup is restored.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: rollback.sh --root DIR [--to RELEASE_ID] [--keep-data | --restore-data | --backup BACKUP_DIR]
                   [--timeout SECONDS]
  --to           release to return to (default: the one \`previous\` points at)
  --keep-data    keep the database as it is: no downtime (the default when the release being undone applied no
                 migrations; migrations are additive, so the earlier release runs on the current schema)
  --restore-data restore the database backup taken just before the release being undone was deployed (the
                 default when that release applied migrations); the servers stop while the database is replaced
  --backup       restore this backup (implies --restore-data)
  Without a restore, the release starts in the idle slot, nginx is switched to it, and the undone release drains:
  the same path as deploy.sh, in reverse.
USAGE
}

TO="" BACKUP="" DATA="" TIMEOUT=120 LOCK=1
while [ $# -gt 0 ]; do
  case "$1" in
    --root) SVGAI_ROOT="$2"; shift 2 ;;
    --to) TO="$2"; shift 2 ;;
    --backup) BACKUP="$2"; DATA=restore; shift 2 ;;
    --keep-data) DATA=keep; shift ;;
    --restore-data) DATA=restore; shift ;;
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
to_dir="$SVGAI_ROOT/releases/$TO"
[ -f "$to_dir/server.js" ] || die "release $TO not found in $SVGAI_ROOT/releases"
undone="$(release_of current)"
if [ -z "$DATA" ]; then
  DATA=keep
  if [ -n "$undone" ] && [ "$(cat "$SVGAI_ROOT/releases/$undone/.migrations-applied" 2>/dev/null || echo 0)" != 0 ]; then
    DATA=restore
    log "release $undone applied migrations: its database backup is restored (pass --keep-data to keep the data)"
  fi
fi

if [ "$DATA" = restore ] && [ -z "$BACKUP" ]; then
  # Newest backup taken while $TO was current.
  for m in $(ls -1d "$SVGAI_ROOT"/backups/*/ 2>/dev/null | sort -r); do
    r="$(node -e 'process.stdout.write(require(process.argv[1]).release||"")' "${m}manifest.json" 2>/dev/null || true)"
    if [ "$r" = "$TO" ]; then BACKUP="${m%/}"; break; fi
  done
  [ -n "$BACKUP" ] || die "no backup taken while $TO was current: pass --backup DIR or --keep-data"
fi

active="$(active_slot)"
if [ -n "$active" ] && ! slot_pid "$active" >/dev/null; then active=""; fi
target="$(other_slot "${active:-green}")"
log "rolling back ${undone:-?} -> $TO in slot $target${BACKUP:+ (database from $BACKUP)}"
stop_workers "$target"
stop_slot "$target"
if [ "$DATA" = restore ]; then
  # The database is replaced under nobody: every server and worker stops first (a short outage).
  for slot in "${SLOTS[@]}"; do stop_workers "$slot"; done
  stop_server
  "$SCRIPT_DIR/restore.sh" --root "$SVGAI_ROOT" --backup "$BACKUP"
  active=""
fi
start_slot "$target" "$to_dir"
if ! wait_slot_ready "$target" "$TIMEOUT"; then
  stop_slot "$target"
  die "release $TO did not become ready (logs: $SVGAI_ROOT/logs/server-$target.log)${active:+; slot $active still serves ${undone:-}}"
fi
start_workers "$target" "$to_dir" || die "the workers of $TO did not start (logs: $SVGAI_ROOT/logs/worker-$target-*.log)"
switch_proxy "$target" || die "nginx could not be switched to slot $target${active:+; slot $active still serves ${undone:-}}"
switch_current "$TO"
[ -z "$undone" ] || [ "$undone" = "$TO" ] || ln -sfn "releases/$undone" "$SVGAI_ROOT/previous"
if [ -n "$active" ]; then stop_slot "$active"; fi
stop_workers "$(other_slot "$target")"
log "rolled back to $TO"
echo "RELEASE=$TO"
