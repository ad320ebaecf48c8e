#!/usr/bin/env sh
# Moves a consumer group's committed offsets, e.g. to read everything again. A dry run (shows the
# new offsets) unless --execute; the group must have no running consumers.
#
#   scripts/reset-offsets.sh GROUP [--topic TOPIC] [--to-earliest|--to-latest|--to-offset N|--shift-by N] [--execute]
#   defaults: --topic user-events --to-earliest; options: -h, --cluster
set -eu
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }
GROUP=""
TOPIC=user-events
TARGET="--to-earliest"
EXECUTE="--dry-run"
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --cluster) KAFKA_DEMO_CLUSTER=1; shift ;;
    --topic) TOPIC="$2"; shift 2 ;;
    --to-earliest|--to-latest) TARGET="$1"; shift ;;
    --to-offset|--shift-by) TARGET="$1 $2"; shift 2 ;;
    --execute) EXECUTE="--execute"; shift ;;
    -*) die "unknown option $1 (see -h)" ;;
    *) GROUP="$1"; shift ;;
  esac
done
[ -n "$GROUP" ] || { usage >&2; exit 2; }
use_stack

# shellcheck disable=SC2086 # TARGET is an option and its value
kafka_tool kafka-consumer-groups --bootstrap-server "$INTERNAL_BOOTSTRAP" --reset-offsets \
  --group "$GROUP" --topic "$TOPIC" $TARGET "$EXECUTE"
[ "$EXECUTE" = --execute ] || echo "(dry run: add --execute to apply)" >&2
