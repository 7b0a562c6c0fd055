#!/usr/bin/env bash
# Builds local stand-ins for the public images infra/compose/docker-compose.yml uses, on a machine whose Docker engine
# cannot pull from a registry (ADR-0011). With a registry you do not need this: compose uses the official images.
#
#   infra/docker/standins/build.sh              # as root (debootstrap), with a reachable Docker engine and JDK 25
#   docker-compose --env-file infra/docker/standins/standins.env -p commitcast -f infra/compose/docker-compose.yml ...
#
# Images (names in standins.env, which points compose's COMMITCAST_*_IMAGE variables at them):
#   commitcast-local/debian:bookworm     debootstrap --variant=minbase bookworm + docker import (the base of the others)
#   commitcast-local/jre:25              a jlinked runtime of this machine's JDK 25 at /opt/java/openjdk (eclipse-temurin:25-jre)
#   commitcast-local/postgres:15         Debian's postgresql-15, entrypoint contract of the official postgres image
#   commitcast-local/redis:7.0           Debian's redis-server, entrypoint contract of the official redis image
#   commitcast-local/kafka:<kafka.version>  Kafka jars from Maven Central, environment contract of apache/kafka
#   commitcast-local/prometheus:2        Debian's prometheus (+ wget for the health check), like prom/prometheus
# An image made from the same inputs is kept (see `label` below; --rebuild builds every one again). The Debian mirror is taken from
# COMMITCAST_DEBIAN_MIRROR, else this machine's apt sources, else http://deb.debian.org/debian.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
work="${COMMITCAST_STANDINS_WORK:-$repo/target/standins}"
rebuild=""
case "${1:-}" in
  --rebuild) rebuild=1 ;;
  "") ;;
  *) echo "usage: $0 [--rebuild]" >&2; exit 2 ;;
esac

die() { echo "standins: $*" >&2; exit 1; }
command -v docker >/dev/null || die "no docker client (Debian: apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "no Docker engine reachable (DOCKER_HOST=${DOCKER_HOST:-unset}); start dockerd first"

# Each image carries the digest of what it was made from (its folder here, its base image's id, tool versions) in
# the label dev.commitcast.standin; an image whose label matches is kept, any other is built again. So a changed
# stand-in or base is never silently reused from an earlier run.
label=dev.commitcast.standin
digest() { { (cd "$here" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum); cat; } | sha256sum | cut -c1-16; }
current() { docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$1" 2>/dev/null || true; }
have() { [ -z "$rebuild" ] && [ "$(current "$1")" = "$2" ]; }
image_id() { docker image inspect -f '{{.Id}}' "$1"; }
build() { # build NAME DIGEST CONTEXT
  echo "standins: building $1"
  docker build -q --label "$label=$2" -t "$1" "$3" >/dev/null || die "docker build of $1 failed (context $3)"
}

mkdir -p "$work"
base=commitcast-local/debian:bookworm
base_digest="$(echo "debootstrap --variant=minbase bookworm; policy-rc.d 101; no recommends; v1" | digest build.sh)"
if ! have "$base" "$base_digest"; then
  [ "$(id -u)" = 0 ] || die "debootstrap needs root to make $base"
  command -v debootstrap >/dev/null || die "no debootstrap (Debian: apt-get install debootstrap)"
  mirror="${COMMITCAST_DEBIAN_MIRROR:-}"
  if [ -z "$mirror" ]; then
    mirror="$(sed -n 's/^URIs: *\([^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
    mirror="${mirror:-http://deb.debian.org/debian}"
  fi
  rm -rf "$work/rootfs"
  echo "standins: debootstrap bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || die "debootstrap failed, see $work/debootstrap.log"
  # As Docker's official Debian images do: no service starts inside a build, no recommended packages, no apt cache.
  printf '#!/bin/sh\nexit 101\n' >"$work/rootfs/usr/sbin/policy-rc.d"
  chmod 0755 "$work/rootfs/usr/sbin/policy-rc.d"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$work/rootfs/etc/apt/apt.conf.d/90commitcast"
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . \
    | docker import -c 'CMD ["/bin/bash"]' -c "LABEL $label=$base_digest" - "$base" >/dev/null
  rm -rf "$work/rootfs"
  echo "standins: imported $base"
fi

jdk=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ]; then jdk="$candidate"; break; fi
done
[ -n "$jdk" ] || die "no jlink: set JAVA_HOME to a JDK 25"
modules=java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.management.agent,jdk.jfr,jdk.jcmd,jdk.zipfs,jdk.naming.dns,jdk.net,jdk.httpserver
jre=commitcast-local/jre:25
jre_digest="$({ image_id "$base"; echo "$modules"; "$jdk/bin/java" -version 2>&1; } | digest jre)"
if ! have "$jre" "$jre_digest"; then
  rm -rf "$work/jre"; mkdir -p "$work/jre"
  cp "$here/jre/Dockerfile" "$work/jre/"
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$work/jre/runtime"
  build "$jre" "$jre_digest" "$work/jre"
fi

for standin in postgres:15 redis:7.0 prometheus:2; do
  dir="${standin%%:*}"
  d="$(image_id "$base" | digest "$dir")"
  have "commitcast-local/$standin" "$d" || build "commitcast-local/$standin" "$d" "$here/$dir"
done

kafka_image="$(sed -n 's/^COMMITCAST_KAFKA_IMAGE=//p' "$here/standins.env")"
kafka_digest="$({ image_id "$jre"; echo "$kafka_image"; } | digest kafka ../../../pom.xml)"
if ! have "$kafka_image" "$kafka_digest"; then
  rm -rf "$work/kafka"; mkdir -p "$work/kafka"
  cp -r "$here/kafka/Dockerfile" "$here/kafka/bin" "$here/kafka/config" "$work/kafka/"
  # The broker's jars, resolved by Maven like every other dependency (version: the root pom's kafka.version).
  "$repo/mvnw" -B -q -f "$here/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$work/kafka/libs" || die "could not collect the Kafka jars"
  build "$kafka_image" "$kafka_digest" "$work/kafka"
fi
echo "standins: ready ($(docker images --format '{{.Repository}}:{{.Tag}}' 'commitcast-local/*' | sort | tr '\n' ' '))"
