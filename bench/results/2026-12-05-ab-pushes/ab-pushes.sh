#!/bin/bash
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for r in 1 2 3; do
  for v in old new; do
    if [ $v = old ]; then d=/tmp/wt-old; else d=/work/main; fi
    nb=--no-build; [ $r = 1 ] && nb=
    (cd $d && script/bench --pin --aot $nb --server-java $J25 --only cluster --phases fanout --fanout 250 --rates 100000,300000 --repeat 1 --out /tmp/ab/$v-$r > /tmp/ab/$v-$r.log 2>&1)
    grep -h "paced\|window 8" /tmp/ab/$v-$r/logs/*generator.log | sed "s/^/$v-$r /" | cut -c1-400 >> /tmp/ab/summary.txt
  done
done
echo ALLDONE >> /tmp/ab/summary.txt
