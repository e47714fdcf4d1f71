#!/bin/bash
# RSS of an idle node at 0 connections under several flag sets; two starts each, alternated.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JC=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd
JAR=/work/main/target/aot/tertulia-0.1.0-SNAPSHOT.jar
AOT=/work/main/target/aot/tertulia.aot
IMG="-XX:MaxRAMPercentage=75 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=60000 -XX:G1HeapRegionSize=1m -XX:MarkStackSize=256k -XX:TrimNativeHeapInterval=2000"
SMALL="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Xms8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TrimNativeHeapInterval=2000 -XX:+UseSerialGC"
declare -A CFG
CFG[a_image_aot]="$IMG -XX:AOTMode=on -XX:AOTCache=$AOT -XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly"
CFG[b_image_noaot]="$IMG"
CFG[c_serial]="$SMALL"
CFG[d_serial_c1]="$SMALL -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=24m -Xss512k -XX:+UseCompactObjectHeaders"
CFG[e_serial_int]="$SMALL -Xint -Xss512k -XX:+UseCompactObjectHeaders"
out=${OUT:-/tmp/prof/memfloor.txt}
for round in 1 2 3; do
  for name in a_image_aot b_image_noaot c_serial d_serial_c1 e_serial_int; do
    log=/tmp/prof/mem-$name-$round.log
    taskset -c 0 $J ${CFG[$name]} -jar $JAR --server.port=7411 > $log 2>&1 &
    pid=$!
    for i in $(seq 1 120); do grep -q "Started " $log && break; sleep 0.5; done
    sleep 5
    $JC $pid GC.run > /dev/null; sleep 1
    r1=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
    $JC $pid System.trim_native_heap > /dev/null; sleep 1
    r2=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
    classes=$($JC $pid VM.classloader_stats 2>/dev/null | awk '/Total/{print $2}')
    echo "$round $name rss_after_gc_kib=$r1 after_trim_kib=$r2 started=$(grep -o 'Started .* in [0-9.]* seconds' $log | grep -o 'in [0-9.]* seconds')" | tee -a $out
    kill $pid; wait $pid 2>/dev/null
  done
done
