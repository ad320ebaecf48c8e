#!/usr/bin/env bash
# The files docker-compose.secure.yml mounts, in secure/: the broker's certificates made with the
# jar (a CA, a certificate for localhost and 127.0.0.1), a JAAS file with the SASL users admin and
# alice and their generated passwords, and each user's client settings (SASL_SSL, PLAIN, the CA).
# Run once; a second run keeps what is there. Passwords are never printed.
#
#   scripts/secure-compose.sh [-h] [--dir DIR]
set -euo pipefail
DIR=secure
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --dir) DIR="$2"; shift 2 ;;
    *) echo "secure-compose.sh: unknown argument $1 (see -h)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
[ -f target/kafka-demo.jar ] || mvn -B -q -DskipTests package
umask 077
mkdir -p "$DIR"
# The certificates, with the client settings for SASL_SSL (the user is added per user below).
# --sasl-users here only makes client.properties say SASL_SSL: the passwords are the JAAS file's.
java -jar target/kafka-demo.jar broker --make-certificates --tls-dir "$DIR/tls" --sasl-users admin:unused

password() { head -c 18 /dev/urandom | base64 | tr -d '/+=\n'; }
jaas="$DIR/kafka_server_jaas.conf"
if [ ! -f "$jaas" ]; then
  {
    echo "KafkaServer {"
    echo "  org.apache.kafka.common.security.plain.PlainLoginModule required"
    for user in admin alice; do
      printf '  user_%s="%s"\n' "$user" "$(password)"
    done
    echo "  ;"
    echo "};"
  } >"$jaas"
fi
for user in admin alice; do
  secret=$(sed -n "s/^  user_$user=\"\(.*\)\"$/\1/p" "$jaas")
  {
    grep -v '^#' "$DIR/tls/client.properties"
    echo "sasl.mechanism=PLAIN"
    printf 'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";\n' \
      "$user" "$secret"
  } >"$DIR/$user.properties"
done
# The broker in the container runs as its own user (cp-kafka's appuser, uid 1000) and must read
# its key and the JAAS file: they are made readable here. On a machine others use, give them to
# uid 1000 instead (sudo chown 1000 ...; chmod 600 ...). The CA's key and the users' settings stay
# the owner's.
chmod 755 "$DIR" "$DIR/tls"
chmod 644 "$jaas" "$DIR/tls/broker.keystore.pem"
echo "Made $DIR: start the stack with docker-compose -f docker-compose.yml -f docker-compose.secure.yml up -d;"
echo "clients on this machine use --command-config $DIR/alice.properties (or $DIR/admin.properties, a super user)"
