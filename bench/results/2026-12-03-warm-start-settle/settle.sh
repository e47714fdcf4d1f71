#!/usr/bin/env bash
# settle2.sh AOTDIR PAIRS WAIT: a warm and a cold node side by side, each pinned to its own CPU
# (swapped every pair), each read at readiness and WAIT s later (VmRSS, threads).
set -u
cd /work/main
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OPTS=$(grep '^ENV JAVA_OPTS' Dockerfile | sed 's/^ENV JAVA_OPTS="//; s/"$//')
D=$1; PAIRS=${2:-3}; WAIT=${3:-75}
probe() { local port=$1 pid=$2 label=$3 t0=$4
  for i in $(seq 1 900); do c=$(curl -s -o /dev/null -w '%{http_code}' localhost:$port/actuator/health/readiness); [ "$c" = 200 ] && break; sleep 0.2; done
  local ready=$(( $(date +%s%N)/1000000 - t0 ))
  local r0=$(awk '/VmRSS/ {print $2}' /proc/$pid/status) th0=$(ls /proc/$pid/task | wc -l)
  sleep $WAIT
  local r1=$(awk '/VmRSS/ {print $2}' /proc/$pid/status) th1=$(ls /proc/$pid/task | wc -l)
  echo "$label ready_ms=$ready rss_ready_mib=$((r0/1024)) threads_ready=$th0 rss_after_${WAIT}s_mib=$((r1/1024)) threads_after=$th1"
}
for k in $(seq 1 $PAIRS); do
  JVMS=(); PROBES=()
  for mode in warm cold; do
    r=2; [ $mode = cold ] && r=0
    if [ $(( (k + (r == 0)) % 2 )) = 0 ]; then cpu=0; else cpu=1; fi
    port=$((7600 + r + k * 10))
    t0=$(( $(date +%s%N)/1000000 ))
    taskset -c $cpu $J -XX:AOTMode=on -XX:AOTCache=$D/tertulia.aot $OPTS -jar $D/tertulia-0.1.0-SNAPSHOT.jar --server.port=$port --server.address=127.0.0.1 --tertulia.warm-start.rounds=$r ${EXTRA:-} > /tmp/settle2-$mode-$k.log 2>&1 &
    pid=$!; JVMS+=($pid)
    probe $port $pid "pair $k $mode cpu$cpu" $t0 &
    PROBES+=($!)
  done
  wait "${PROBES[@]}"
  kill "${JVMS[@]}"; wait 2>/dev/null
done
