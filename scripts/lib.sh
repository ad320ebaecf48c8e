# shellcheck shell=sh disable=SC2034
# Shared by the scripts in this folder (sourced, not run). POSIX sh.
#
# KAFKA_DEMO_CLUSTER=1 (or --cluster on each script) points them at the three-broker stack.

ROOT=$(cd "$(dirname "$0")/.." && pwd)

# Prints a command, then runs it: the scripts teach what to type.
run() {
  echo "\$ $*" >&2
  "$@"
}

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# Both "docker compose" (v2 plugin) and "docker-compose" (v1) work.
compose_command() {
  if docker compose version >/dev/null 2>&1; then
    echo "docker compose"
  elif command -v docker-compose >/dev/null 2>&1; then
    echo "docker-compose"
  else
    die "neither 'docker compose' nor 'docker-compose' is installed: see https://docs.docker.com/compose/install/"
  fi
}

# Sets COMPOSE (the command and its file arguments) and BROKER (the container whose Kafka tools
# we use) for the single-broker stack or, with KAFKA_DEMO_CLUSTER=1, the cluster.
use_stack() {
  if [ "${KAFKA_DEMO_CLUSTER:-0}" = 1 ]; then
    COMPOSE="$(compose_command) -p kafka-demo-cluster -f $ROOT/docker-compose.cluster.yml"
    BROKER=kafka-1
    INTERNAL_BOOTSTRAP=kafka-1:29092,kafka-2:29092,kafka-3:29092
    SERVICES="zookeeper kafka-1 kafka-2 kafka-3 schema-registry postgres connect kafka-ui"
  else
    COMPOSE="$(compose_command) -f $ROOT/docker-compose.yml"
    BROKER=kafka
    INTERNAL_BOOTSTRAP=kafka:29092
    SERVICES="zookeeper kafka schema-registry postgres connect kafka-ui"
  fi
}

# The Kafka tools inside the broker container (kafka-topics, kafka-consumer-groups, ...).
kafka_tool() {
  docker inspect "$BROKER" >/dev/null 2>&1 \
    || die "container '$BROKER' is not running: start the stack with 'docker-compose up -d'"
  run docker exec "$BROKER" "$@"
}
