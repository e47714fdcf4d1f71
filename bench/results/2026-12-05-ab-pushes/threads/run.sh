#!/bin/bash
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for v in old new; do
  if [ $v = old ]; then d=/tmp/wt-old; else d=/work/main; fi
  bash /tmp/prof/sampler.sh /tmp/ab3/$v.samples & sp=$!
  (cd $d && script/bench --pin --aot --no-build --server-java $J25 --only cluster --phases fanout --fanout 250 --rates 100000 --paced-seconds 30 --repeat 1 --out /tmp/ab3/$v > /tmp/ab3/$v.log 2>&1)
  kill $sp
  grep -h "paced\|window 8" /tmp/ab3/$v/logs/*generator.log | sed "s/^/$v /" | cut -c1-400 >> /tmp/ab3/summary.txt
done
echo ALLDONE >> /tmp/ab3/summary.txt
