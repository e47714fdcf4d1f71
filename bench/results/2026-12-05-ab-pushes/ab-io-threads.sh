#!/bin/bash
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
for r in 1 2 3; do
  for v in two one; do
    if [ $v = one ]; then o="-XX:MaxRAMPercentage=75 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=60000 -XX:G1HeapRegionSize=1m -XX:MarkStackSize=256k -XX:TrimNativeHeapInterval=2000 -Dio.netty.eventLoopThreads=1"; else o="-XX:MaxRAMPercentage=75 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=60000 -XX:G1HeapRegionSize=1m -XX:MarkStackSize=256k -XX:TrimNativeHeapInterval=2000"; fi
    script/bench --pin --aot --no-build --server-java $J25 --server-jvm-opts "$o" --only cluster --phases fanout --fanout 250 --rates 100000,300000 --repeat 1 --out /tmp/ab2/$v-$r > /tmp/ab2/$v-$r.log 2>&1
    grep -h "paced\|window 8" /tmp/ab2/$v-$r/logs/*generator.log | sed "s/^/$v-$r /" | cut -c1-400 >> /tmp/ab2/summary.txt
  done
done
echo ALLDONE >> /tmp/ab2/summary.txt
