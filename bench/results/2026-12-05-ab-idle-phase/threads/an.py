import sys, collections
rows=[l.split() for l in open(sys.argv[1])]
# per sample time: dict (pid,tid)->(comm,ticks)
snaps=collections.OrderedDict()
for t,pid,task,comm,ticks in rows:
    snaps.setdefault(t,{})[(pid,task)]=(comm,int(ticks))
times=list(snaps)
# total per sample
def tot(s,pids=None):
    return sum(v[1] for k,v in s.items() if pids is None or k[0] in pids)
pids=sorted({k[0] for s in snaps.values() for k in s})
prev=None
if len(sys.argv)==2:
  for i,t in enumerate(times):
    if i==0: continue
    a,b=snaps[times[i-1]],snaps[t]
    line=[]
    for p in pids:
        d=sum(b[k][1]-a.get(k,(0,0))[1] for k in b if k[0]==p)
        line.append(d)
    print(i, "%.1f"%(float(t)-float(times[0])), line)
else:
  i0,i1=int(sys.argv[2]),int(sys.argv[3])
  a,b=snaps[times[i0]],snaps[times[i1]]
  dt=float(times[i1])-float(times[i0])
  agg=collections.Counter()
  for k,(comm,ticks) in b.items():
      d=ticks-a.get(k,(comm,0))[1]
      import re
      name=re.sub(r'[-#]?\d+$','',comm)
      agg[(k[0],name)]+=d
  total=sum(agg.values())
  print("window %.1f s, total %d ticks = %.0f ms/s"%(dt,total,total*10/dt))
  for (p,n),d in agg.most_common(30):
      if d: print(p,n,d,"%.0f ms/s"%(d*10/dt))
