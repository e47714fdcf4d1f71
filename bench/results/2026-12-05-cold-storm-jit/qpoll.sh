#!/bin/bash
JC=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd
until pid=$(pgrep -f 'tertulia-0.1.0-SNAPSHOT.jar' | head -1) && [[ -n $pid ]]; do sleep 0.1; done
while kill -0 $pid 2>/dev/null; do
  q=$($JC $pid Compiler.queue 2>/dev/null)
  c2=$(echo "$q" | awk '/C2 compile queue/{f=1;next} /C1 compile queue/{f=0} f' | grep -c '^[ 0-9]')
  c1=$(echo "$q" | awk '/C1 compile queue/{f=1;next} f' | grep -c '^[ 0-9]')
  echo "$(date +%T.%N | cut -c1-12) c2=$c2 c1=$c1"
  sleep 0.3
done
