#!/bin/bash
# every second: time, pid, tid, comm, utime+stime (ticks) for our nodes and redis
out=$1
while true; do
  t=$(date +%s.%N)
  for pid in $(pgrep -f 'org.tertulia|tertulia.*jar|JarLauncher' ) $(pgrep -x redis-server); do
    for st in /proc/$pid/task/*/stat; do
      [[ -r $st ]] || continue
      line=$(cat $st 2>/dev/null) || continue
      comm=${line#*(}; comm=${comm%)*}; rest=${line##*) }
      set -- $rest
      echo "$t $pid ${st%/stat} ${comm// /_} $(( ${12} + ${13} ))"
    done
  done >> $out
  sleep 1
done
