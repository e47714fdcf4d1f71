#!/usr/bin/env bash
# The image's heap flags against two that keep G1 from shrinking the heap under its live set's
# marking threshold, after an idle phase (where the fan-outs were seen stuck in back-to-back
# marking cycles). One invocation, 3 alternated rounds, each run with a GC log.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=bench/results/2026-12-05-ab-heap/run
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OPTS="$(sed -n 's/^ENV JAVA_OPTS="\([^"]*\)".*/\1/p' Dockerfile | tail -1) -Xlog:gc:file=/tmp/gclogs/gc-%p.log"
rm -rf /tmp/gclogs; mkdir -p /tmp/gclogs
script/bench --pin --aot --no-build --server-java "$J25" --server-jvm-opts "$OPTS" --only ours \
  --variant "hf70=current:-J-XX:MaxHeapFreeRatio=70" --variant "xms64=current:-J-Xms64m" \
  --phases idle,fanout --idle 1000,10000 --fanout 250,1000 --rates 100000,300000 --repeat 3 \
  --out "$OUT" > "$OUT.log" 2>&1
mkdir -p "$OUT/gc"
for f in "$OUT"/runs/*.properties; do
  label=$(basename "$f" .properties); pid=$(grep -h '^server.pid=' "$f" | cut -d= -f2)
  cp "/tmp/gclogs/gc-$pid.log" "$OUT/gc/$label.txt" || true
done
