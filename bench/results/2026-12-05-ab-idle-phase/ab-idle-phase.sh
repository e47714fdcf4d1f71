#!/usr/bin/env bash
# Does the idle phase (10,000 idle connections, forced full GCs) make the fan-outs after it
# costlier? Single-round invocations of one node, alternating: "fanout" runs the fan-out
# phase only (as the seventeenth round's invocations did); "idle" runs the idle phase first
# (as every full recorded run does). Both with the image's flags plus a GC log.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=bench/results/2026-12-05-ab-idle-phase
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OPTS="$(sed -n 's/^ENV JAVA_OPTS="\([^"]*\)".*/\1/p' Dockerfile | tail -1) -Xlog:gc:file=/tmp/gclogs/gc-%p.log"
mkdir -p /tmp/gclogs
for r in 1 2 3; do
  for kind in fanout idle; do
    if [[ $kind == idle ]]; then phases=idle,fanout; else phases=fanout; fi
    script/bench --pin --aot --no-build --server-java "$J25" --server-jvm-opts "$OPTS" --only ours \
      --phases "$phases" --idle 1000,10000 --fanout 250 --rates 100000,300000 --repeat 1 \
      --out "$OUT/$kind-$r" > "$OUT/$kind-$r.log" 2>&1
    pid=$(grep -h '^server.pid=' "$OUT/$kind-$r"/runs/*.properties | cut -d= -f2)
    cp "/tmp/gclogs/gc-$pid.log" "$OUT/$kind-$r/gc.txt" || true
  done
done
