#!/usr/bin/env sh
# Stops the stack. With --volumes also deletes its volumes: every topic and message, every
# committed offset. Asks first unless --yes.
#
#   scripts/cleanup.sh [-h] [--cluster] [--volumes [--yes]]
set -eu
. "$(dirname "$0")/lib.sh"

VOLUMES=0
YES=0
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --cluster) KAFKA_DEMO_CLUSTER=1; shift ;;
    --volumes|-v) VOLUMES=1; shift ;;
    --yes|-y) YES=1; shift ;;
    *) die "unknown option $1 (see -h)" ;;
  esac
done
use_stack

if [ "$VOLUMES" = 1 ]; then
  echo "WARNING: this deletes all topics, messages and consumer offsets of the stack." >&2
  if [ "$YES" != 1 ]; then
    printf 'Type yes to continue: ' >&2
    read -r answer
    [ "$answer" = yes ] || die "nothing deleted"
  fi
  # shellcheck disable=SC2086 # COMPOSE is a command with arguments
  run $COMPOSE down -v --remove-orphans
else
  # shellcheck disable=SC2086
  run $COMPOSE down --remove-orphans
  echo "Stopped; the data is kept in the volumes. Delete it too with: scripts/cleanup.sh --volumes" >&2
fi
