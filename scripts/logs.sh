#!/usr/bin/env sh
# Follows a service's logs (default: kafka; also zookeeper, schema-registry, kafka-ui, kafka-init; kafka-1..3 with --cluster).
#
#   scripts/logs.sh [-h] [--cluster] [SERVICE] [--tail N]   (default 100 lines, then follows)
set -eu
. "$(dirname "$0")/lib.sh"

SERVICE=""
TAIL=100
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --cluster) KAFKA_DEMO_CLUSTER=1; shift ;;
    --tail) TAIL="$2"; shift 2 ;;
    -*) die "unknown option $1 (see -h)" ;;
    *) SERVICE="$1"; shift ;;
  esac
done
use_stack
[ -n "$SERVICE" ] || SERVICE=$BROKER
# shellcheck disable=SC2086 # COMPOSE is a command with arguments
run $COMPOSE logs -f --tail "$TAIL" "$SERVICE"
