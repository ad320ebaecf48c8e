#!/usr/bin/env sh
# The whole flow on one machine with only Java 17 and Maven: build the jar if needed, start a real
# Kafka broker from it, send events with delivery confirmations, read them in a consumer group,
# stop the broker.
#
#   scripts/demo.sh [-h] [--count N] [--port PORT]
set -eu

usage() {
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
}

COUNT=10
PORT=9092
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --count) COUNT="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    *) echo "demo.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")/.."
JAR=target/kafka-demo.jar
BOOTSTRAP="localhost:$PORT"

run() {
  echo "\$ $*" >&2
  "$@"
}

if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
  run mvn -B -q -DskipTests package
fi

LOG=$(mktemp "${TMPDIR:-/tmp}/kafka-demo-broker.XXXXXX")
# bin/kafka-demo: the jar with JVM settings for a command-line tool (exec: $! is the JVM itself)
echo "\$ bin/kafka-demo broker --port $PORT &" >&2
bin/kafka-demo broker --port "$PORT" >"$LOG" 2>&1 &
BROKER=$!
stop_broker() {
  if kill "$BROKER" 2>/dev/null; then
    wait "$BROKER" 2>/dev/null || true # exits 143 on SIGTERM, after a clean shutdown
  fi
  rm -f "$LOG"
}
trap stop_broker EXIT INT TERM

# The broker prints one line once clients can connect.
i=0
until grep -q "broker ready" "$LOG"; do
  if ! kill -0 "$BROKER" 2>/dev/null || [ $i -ge 600 ]; then
    echo "demo.sh: the broker did not start:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  i=$((i + 1))
  sleep 0.1
done
cat "$LOG"

echo
echo "== Producer: $COUNT user-events to user-events, one confirmation per event" >&2
run bin/kafka-demo producer --bootstrap-server "$BOOTSTRAP" --count "$COUNT"

echo
echo "== Consumer: group my-consumer-group reads and processes them" >&2
run bin/kafka-demo consumer --bootstrap-server "$BOOTSTRAP" --group my-consumer-group \
  --from-beginning --max-messages "$COUNT"

echo
echo "== Stopping the broker" >&2
