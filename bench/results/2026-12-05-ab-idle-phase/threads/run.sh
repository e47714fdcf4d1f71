#!/bin/bash
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
for v in fanout idle; do
  if [ $v = idle ]; then ph=idle,fanout; else ph=fanout; fi
  bash ../../2026-12-05-ab-pushes/threads/sampler.sh /tmp/abi/$v.samples & sp=$!
  script/bench --pin --aot --no-build --server-java $J25 --only ours --phases $ph --idle 1000,10000 --fanout 250 --rates 100000 --paced-seconds 30 --repeat 1 --out /tmp/abi/$v > /tmp/abi/$v.log 2>&1
  kill $sp
done
echo ALLDONE > /tmp/abi/done
