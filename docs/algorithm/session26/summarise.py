import json,sys
for f in sys.argv[1:]:
    try: m=json.load(open(f))
    except Exception as e: print(f, 'n/a', e); continue
    h=m['history']; v=[e['validation_accuracy']*100 for e in h]
    b=max(range(len(v)),key=lambda i:(v[i],-i))
    print(f"{f}: best {v[b]:.2f} ({h[b]['epoch']}), last-10 mean {sum(v[-10:])/len(v[-10:]):.2f}, train last {h[-1]['train_accuracy']*100:.2f}, test printed {m.get('test_accuracy',0)*100:.2f}, seconds {m.get('train_seconds', 0):.0f}")
