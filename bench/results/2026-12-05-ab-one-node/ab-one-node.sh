#!/bin/bash
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for r in 1 2 3; do
  for v in e9 main; do
    if [ $v = e9 ]; then d=/tmp/wt-e9; else d=/work/main; fi
    nb=--no-build; [ $r = 1 ] && [ $v = e9 ] && nb=
    (cd $d && script/bench --pin --aot $nb --server-java $J25 --only ours --phases fanout --fanout 250 --rates 100000,300000 --repeat 1 --out /tmp/ab4/$v-$r > /tmp/ab4/$v-$r.log 2>&1)
    grep -h "paced\|window 8" /tmp/ab4/$v-$r/logs/*generator.log | sed "s/^/$v-$r /" | cut -c1-400 >> /tmp/ab4/summary.txt
  done
done
echo ALLDONE >> /tmp/ab4/summary.txt
