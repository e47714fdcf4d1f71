# Per-round ratios of every column to the peer (CPU per delivery and p99), median [min-max], and how many rows meet CPU <= 0.67 and p99 <= 1.
# usage: python3 ratios.py results.json
import json,statistics,sys
d=json.load(open(sys.argv[1]))
runs={}
for r in d['runs']:
    runs[(r['column'],r['round'])]=r['figures']
cols=sorted({c for c,_ in runs}); rounds=sorted({k for _,k in runs})
def med(xs): 
    xs=sorted(xs); return statistics.median(xs),xs[0],xs[-1]
rows=[]
for n in (250,1000,2000):
    rows.append((n,None))
    for rate in (100000,300000,600000):
        if f'paced.{n}.{rate}.p99_us' in runs[('ours',1)]: rows.append((n,rate))
def key(n,rate,what):
    return f'fanout.{n}.{what}' if rate is None else f'paced.{n}.{rate}.{what}'


met={c:[0,0] for c in cols if c!='peer'}
for n,rate in rows:
    line=f'{n} {"sat" if rate is None else rate}'
    for c in cols:
        if c=='peer': continue
        cr=[runs[(c,k)][key(n,rate,'server_cpu_us_per_delivery')]/runs[('peer',k)][key(n,rate,'server_cpu_us_per_delivery')] for k in rounds]
        pr=[runs[(c,k)][key(n,rate,'p99_us')]/runs[('peer',k)][key(n,rate,'p99_us')] for k in rounds]
        a=med(cr); b=med(pr)
        met[c][0]+= a[0]<=0.67; met[c][1]+= b[0]<=1
        line+=f' | {c}: cpu {a[0]:.2f} [{a[1]:.2f}-{a[2]:.2f}] p99 {b[0]:.2f} [{b[1]:.2f}-{b[2]:.2f}]'
    print(line)
print(met)
