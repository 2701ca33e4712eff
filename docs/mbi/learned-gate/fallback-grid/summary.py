import json,os,statistics as st
out=os.path.dirname(os.path.abspath(__file__))
rows=[]
for net in ('rw','wc'):
  for k in (3,5,7,9):
    v=[]
    for S in (1,2,3):
      f=f'{out}/{net}-v{k}-s{S}.json'
      if not os.path.exists(f) or os.path.getsize(f)==0: v.append(None); continue
      d=json.load(open(f)); v.append(d['learned_gate']['validation']['mbi_fraction'])
    ok=[x for x in v if x is not None]
    print(net,k,' / '.join('-' if x is None else f'{100*x:.2f}' for x in v), f'mean {100*st.mean(ok):.2f}' if ok else '')
