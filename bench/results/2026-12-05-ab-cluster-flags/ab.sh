#!/bin/bash
# The cluster at N = 250 under the image's flags before (MaxHeapFreeRatio=30) and after 1edea3c, one build (b656b69)
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
NEW="-XX:MaxRAMPercentage=75 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Xms16m -XX:MinHeapFreeRatio=10 -XX:G1PeriodicGCInterval=60000 -XX:G1HeapRegionSize=1m -XX:MarkStackSize=256k -XX:TrimNativeHeapInterval=2000"
OLD="$NEW -XX:MaxHeapFreeRatio=30"
for r in 1 2 3; do
  for v in hf70 hf30; do
    opts="$NEW"; [ $v = hf30 ] && opts="$OLD"
    (cd /tmp/wt-old && script/bench --pin --aot --no-build --server-java $J25 --server-jvm-opts "$opts" --only cluster --phases fanout --fanout 250 --rates 100000,300000 --repeat 1 --out /tmp/abf/$v-$r > /tmp/abf/$v-$r.log 2>&1)
    grep -h "paced\|window 8" /tmp/abf/$v-$r/logs/*generator.log | sed "s/^/$v-$r /" | cut -c1-400 >> /tmp/abf/generator-lines.txt
  done
done
echo ALLDONE >> /tmp/abf/generator-lines.txt
