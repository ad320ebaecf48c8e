#!/usr/bin/env bash
# A real schema registry without Docker: Apicurio Registry (Apache 2.0), with Confluent's API at
# http://127.0.0.1:PORT/apis/ccompat/v7 and global compatibility BACKWARD (Confluent's default;
# Apicurio's own is NONE), its schemas in a file database (H2) under --data-dir, so that a restart
# keeps every id the topics' Avro records carry. Fetched through Maven (the version is pinned in
# pom.xml) and run with a Java 21+ runtime. Runs in the foreground; Ctrl-C stops it.
#
#   scripts/schema-registry.sh [-h] [--port PORT] [--data-dir DIR | --in-memory] [--find-java]
#   --port       where it listens, on 127.0.0.1 only (default 8081)
#   --data-dir   where the schemas are kept (default ~/.kafka-demo/schema-registry)
#   --in-memory  keep nothing: a restart forgets every schema, and ids start at 1 again
#   --find-java  print the Java 21+ runtime it would use and exit (3 when there is none)
#   Java: $KAFKA_DEMO_JAVA21, $JAVA_HOME, the JDKs under /usr/lib/jvm, then java on the PATH.
set -euo pipefail

PORT=8081
DATA_DIR="${HOME:-.}/.kafka-demo/schema-registry"
IN_MEMORY=false
FIND_JAVA=false
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --port) PORT="$2"; shift 2 ;;
    --data-dir) DATA_DIR="$2"; shift 2 ;;
    --in-memory) IN_MEMORY=true; shift ;;
    --find-java) FIND_JAVA=true; shift ;;
    *) echo "schema-registry.sh: unknown option $1 (see -h)" >&2; exit 2 ;;
  esac
done

java_version() { "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }'; }
find_java() {
  local candidates=()
  [ -n "${KAFKA_DEMO_JAVA21:-}" ] && candidates+=("$KAFKA_DEMO_JAVA21/bin/java")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  for jdk in /usr/lib/jvm/*/; do candidates+=("${jdk}bin/java"); done
  command -v java >/dev/null && candidates+=("$(command -v java)")
  for java in "${candidates[@]}"; do
    [ -x "$java" ] || continue
    local version
    version=$(java_version "$java")
    if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ]; then echo "$java"; return 0; fi
  done
  return 1
}

JAVA=$(find_java) || {
  echo "schema-registry.sh: Apicurio Registry needs Java 21 or newer, and none was found (set KAFKA_DEMO_JAVA21 to a JDK 21+)" >&2
  exit 3
}
if $FIND_JAVA; then echo "$JAVA"; exit 0; fi

cd "$(dirname "$0")/.."
APP=target/apicurio-registry
if [ ! -f "$APP/quarkus-run.jar" ]; then
  echo "Fetching Apicurio Registry through Maven (about 160 MB, once)..." >&2
  mvn -B -q -N dependency:unpack@apicurio-registry >&2
fi
if $IN_MEMORY; then
  STORAGE=()
  WHERE="in memory"
else
  mkdir -p "$DATA_DIR" || { echo "schema-registry.sh: cannot create --data-dir $DATA_DIR" >&2; exit 2; }
  DATA_DIR=$(cd "$DATA_DIR" && pwd)
  # WRITE_DELAY=0: each commit written at once; H2's default (500 ms) lost a schema registered
  # just before the registry was killed, and the records written with its id.
  STORAGE=(-Dapicurio.datasource.url="jdbc:h2:file:$DATA_DIR/registry;WRITE_DELAY=0"
    -Dapicurio.datasource.jdbc.initial-size=2 -Dapicurio.datasource.jdbc.min-size=2)
  WHERE="schemas in $DATA_DIR"
fi
echo "Schema registry: http://127.0.0.1:$PORT/apis/ccompat/v7 (Apicurio, $WHERE, BACKWARD; $JAVA)" >&2
exec "$JAVA" -Xmx512m -XX:TieredStopAtLevel=1 "${STORAGE[@]}" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port=0 \
  -Dquarkus.banner.enabled=false -Dquarkus.log.level=WARN \
  -Dapicurio.rules.global.compatibility=BACKWARD \
  -jar "$APP/quarkus-run.jar"
