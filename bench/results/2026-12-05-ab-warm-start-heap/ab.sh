#!/usr/bin/env bash
# Was the warm start's dearer fan-out (the eleventh round) the G1 marking loop rather than the
# JIT? The warm start ends with a full collection, which cut the heap to its live set plus
# MaxHeapFreeRatio. One invocation, 3 alternated rounds, fan-outs of the quick set only:
#   ours    the image's flags (MaxHeapFreeRatio at the JVM's 70), no warm start
#   warm    the same with the warm start on (2 rounds)
#   warm30  the warm start on, with the image's previous MaxHeapFreeRatio=30
# Every run with a GC log (gc/LABEL.txt).
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=bench/results/2026-12-05-ab-warm-start-heap/run
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OPTS="$(sed -n 's/^ENV JAVA_OPTS="\([^"]*\)".*/\1/p' Dockerfile | tail -1) -Xlog:gc:file=/tmp/gclogs/gc-%p.log"
rm -rf /tmp/gclogs; mkdir -p /tmp/gclogs
script/bench --quick --pin --aot --no-build --server-java "$J25" --server-jvm-opts "$OPTS" --only ours \
  --variant "warm=current:--tertulia.warm-start.rounds=2" \
  --variant "warm30=current:--tertulia.warm-start.rounds=2 -J-XX:MaxHeapFreeRatio=30" \
  --phases fanout --repeat 3 --out "$OUT" > "$OUT.log" 2>&1
mkdir -p "$OUT/gc"
for f in "$OUT"/runs/*.properties; do
  label=$(basename "$f" .properties); pid=$(grep -h '^server.pid=' "$f" | cut -d= -f2)
  cp "/tmp/gclogs/gc-$pid.log" "$OUT/gc/$label.txt" || true
done
