#!/usr/bin/env sh
# Waits until every long-running service of the stack reports healthy.
#
#   scripts/wait-healthy.sh [-h] [--cluster] [--timeout SECONDS]   (default 180)
set -eu
. "$(dirname "$0")/lib.sh"

TIMEOUT=180
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --cluster) KAFKA_DEMO_CLUSTER=1; shift ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    *) die "unknown option $1 (see -h)" ;;
  esac
done
use_stack

status() {
  # compose services become containers with fixed names (container_name in the compose files)
  case "$1" in
    zookeeper) name=$([ "${KAFKA_DEMO_CLUSTER:-0}" = 1 ] && echo cluster-zookeeper || echo zookeeper) ;;
    kafka-ui) name=$([ "${KAFKA_DEMO_CLUSTER:-0}" = 1 ] && echo cluster-kafka-ui || echo kafka-ui) ;;
    schema-registry|postgres|connect) name=$([ "${KAFKA_DEMO_CLUSTER:-0}" = 1 ] && echo "cluster-$1" || echo "$1") ;;
    *) name=$1 ;;
  esac
  docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$name" 2>/dev/null || echo missing
}

echo "Waiting up to ${TIMEOUT}s for: $SERVICES" >&2
start=$(date +%s)
while :; do
  pending=""
  for service in $SERVICES; do
    s=$(status "$service")
    [ "$s" = healthy ] || pending="$pending $service($s)"
  done
  if [ -z "$pending" ]; then
    echo "All healthy: Kafka on localhost:9092, schema registry on http://localhost:8081, Kafka Connect on http://localhost:8083, Kafka UI on http://localhost:8080" >&2
    exit 0
  fi
  if [ $(( $(date +%s) - start )) -ge "$TIMEOUT" ]; then
    echo "Not healthy after ${TIMEOUT}s:$pending" >&2
    echo "Look at the logs: scripts/logs.sh kafka (or zookeeper, schema-registry, postgres, connect, kafka-ui)" >&2
    exit 1
  fi
  sleep 2
done
