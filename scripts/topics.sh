#!/usr/bin/env sh
# Topics, with the broker container's own kafka-topics tool.
#
#   scripts/topics.sh list
#   scripts/topics.sh create NAME [PARTITIONS] [REPLICATION_FACTOR]   (default 3 and 1; 3 and 3 with --cluster)
#   scripts/topics.sh describe [NAME]
#   scripts/topics.sh delete NAME
#   options: -h, --cluster (the three-broker stack)
set -eu
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
[ "${1:-}" = --cluster ] && { KAFKA_DEMO_CLUSTER=1; shift; }
case "${1:-}" in -h|--help|"") usage; [ -n "${1:-}" ]; exit $? ;; esac
use_stack

action=$1
shift
case "$action" in
  list) kafka_tool kafka-topics --bootstrap-server "$INTERNAL_BOOTSTRAP" --list ;;
  create)
    [ $# -ge 1 ] || die "create needs a topic name (see -h)"
    default_rf=$([ "${KAFKA_DEMO_CLUSTER:-0}" = 1 ] && echo 3 || echo 1)
    kafka_tool kafka-topics --bootstrap-server "$INTERNAL_BOOTSTRAP" --create --topic "$1" \
      --partitions "${2:-3}" --replication-factor "${3:-$default_rf}" ;;
  describe)
    if [ $# -ge 1 ]; then
      kafka_tool kafka-topics --bootstrap-server "$INTERNAL_BOOTSTRAP" --describe --topic "$1"
    else
      kafka_tool kafka-topics --bootstrap-server "$INTERNAL_BOOTSTRAP" --describe
    fi ;;
  delete)
    [ $# -ge 1 ] || die "delete needs a topic name (see -h)"
    kafka_tool kafka-topics --bootstrap-server "$INTERNAL_BOOTSTRAP" --delete --topic "$1" ;;
  *) usage >&2; exit 2 ;;
esac
