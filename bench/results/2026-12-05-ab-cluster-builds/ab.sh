#!/bin/bash
# The cluster at N = 250: the seventeenth round's final build (9d131d2) against b656b69, both with today's image flags
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
NEW="-XX:MaxRAMPercentage=75 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Xms16m -XX:MinHeapFreeRatio=10 -XX:G1PeriodicGCInterval=60000 -XX:G1HeapRegionSize=1m -XX:MarkStackSize=256k -XX:TrimNativeHeapInterval=2000"
for r in 1 2 3; do
  for v in r17 b656; do
    d=/tmp/wt-old; [ $v = r17 ] && d=/tmp/wt-r17
    (cd $d && script/bench --pin --aot --no-build --server-java $J25 --server-jvm-opts "$NEW" --only cluster --phases fanout --fanout 250 --rates 100000,300000 --repeat 1 --out /tmp/abr/$v-$r > /tmp/abr/$v-$r.log 2>&1)
    grep -h "paced\|window 8" /tmp/abr/$v-$r/logs/*generator.log | sed "s/^/$v-$r /" | cut -c1-400 >> /tmp/abr/generator-lines.txt
  done
done
echo ALLDONE >> /tmp/abr/generator-lines.txt
