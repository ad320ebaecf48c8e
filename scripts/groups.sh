#!/usr/bin/env sh
# Consumer groups, with the broker container's own kafka-consumer-groups tool.
#
#   scripts/groups.sh list
#   scripts/groups.sh describe GROUP        members, committed offsets, end offsets and LAG per partition
#   scripts/groups.sh describe --all        every group
#   options: -h, --cluster (the three-broker stack)
set -eu
. "$(dirname "$0")/lib.sh"

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }
[ "${1:-}" = --cluster ] && { KAFKA_DEMO_CLUSTER=1; shift; }
case "${1:-}" in -h|--help|"") usage; [ -n "${1:-}" ]; exit $? ;; esac
use_stack

action=$1
shift
case "$action" in
  list) kafka_tool kafka-consumer-groups --bootstrap-server "$INTERNAL_BOOTSTRAP" --list ;;
  describe)
    [ $# -ge 1 ] || die "describe needs a group name or --all (see -h)"
    if [ "$1" = --all ]; then
      kafka_tool kafka-consumer-groups --bootstrap-server "$INTERNAL_BOOTSTRAP" --describe --all-groups
    else
      kafka_tool kafka-consumer-groups --bootstrap-server "$INTERNAL_BOOTSTRAP" --describe --group "$1"
    fi ;;
  *) usage >&2; exit 2 ;;
esac
