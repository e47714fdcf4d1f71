#!/bin/bash
# A/B of gathered appends: old = b656b69 (one call per event), g0 = gathered, linger 0, g5 = linger 5 ms
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for r in 1 2 3; do
  for v in old g0 g5; do
    d=/work/main; [ $v = old ] && d=/tmp/wt-old
    linger=0ms; [ $v = g5 ] && linger=5ms
    (cd $d && TERTULIA_CLUSTER_APPENDLINGER=$linger script/bench --pin --aot --no-build --server-java $J25 --only cluster --phases fanout --fanout 250 --rates 100000,300000,600000 --repeat 1 --out /tmp/abq/$v-$r > /tmp/abq/$v-$r.log 2>&1)
    grep -h "paced\|window 8" /tmp/abq/$v-$r/logs/*generator.log | sed "s/^/$v-$r /" | cut -c1-400 >> /tmp/abq/generator-lines.txt
  done
done
echo ALLDONE >> /tmp/abq/generator-lines.txt
