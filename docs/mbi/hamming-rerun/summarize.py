#!/usr/bin/env python3
"""Collects the re-run's numbers from /work/runs25/ham into summary.json (old values from the committed docs files)."""
import json, csv, statistics as st, os
R = '/work/runs25/ham'; D = '/work/main/docs/mbi'
out = {}
def sd(x): return st.stdev(x) if len(x) > 1 else 0.0
def at(p, t): return max((x['mbi_fraction'] for x in p['points'] if x['accuracy'] >= t), default=0)
# R1
fr = list(csv.DictReader(open(f'{R}/r1/frontier_validation_hamming.csv')))
cand = sorted((r for r in fr if int(r['max_distances']) <= 224), key=lambda r: -float(r['recall_at_1']))
seeds = [r for r in csv.DictReader(open(f'{R}/r1/seeds-a.csv'))] + [r for r in csv.DictReader(open(f'{R}/r1/seeds-b.csv'))]
chosen = cand[0]
ch_seeds = [chosen] + [r for r in seeds if r['build'].startswith('8;8;4;32')]
plain = [r for r in fr if r['build'] == '8;32' and r['search'] == 'gap;224'] + [r for r in seeds if r['build'].startswith('8;32')]
test = list(csv.DictReader(open(f'{R}/r1/chosen-test.csv')))[0]
out['r1'] = {
  'pick_top3': [(r['build'], r['search'], r['recall_at_1'], r['mean_distance_ratio']) for r in cand[:3]],
  'chosen_val_seeds': [(r['build'], float(r['recall_at_1']), float(r['mean_distance_ratio'])) for r in ch_seeds],
  'chosen_val_mean_sd': (st.mean(float(r['recall_at_1']) for r in ch_seeds), sd([float(r['recall_at_1']) for r in ch_seeds]),
                         st.mean(float(r['mean_distance_ratio']) for r in ch_seeds)),
  'plain_val_seeds': [(r['build'], float(r['recall_at_1']), float(r['mean_distance_ratio'])) for r in plain],
  'plain_val_mean_sd': (st.mean(float(r['recall_at_1']) for r in plain), sd([float(r['recall_at_1']) for r in plain]),
                        st.mean(float(r['mean_distance_ratio']) for r in plain)),
  'test': test,
  'extra_key_bytes': (int(test['stored_keys']) - 262853) * 17,
  'centroid_rows': int(test['tree_nodes']) - 1, 'centroid_bytes': (int(test['tree_nodes']) - 1) * 17,
}
# R2 / M5
def s8(tag):
    rows = []
    for s in (1, 2, 3):
        O = f'{R}/s8/{tag}'
        v = json.load(open(f'{O}/val-s{s}.json')); b = json.load(open(f'{O}/val-brute-s{s}.json')); t = json.load(open(f'{O}/test-s{s}.json'))
        d = json.load(open(f'{O}/distill-s{s}.json'))
        rows.append(dict(seed=s, distinct=d['distinct_keys'], val_pure_tree=v['lookup_only_accuracy'], val_pure_exact=b['lookup_only_accuracy'],
            val975_tree=at(v, .975), T=v['operating_point']['threshold'], val975_exact=at(b, .975), val95_tree=at(v, .95), val95_exact=at(b, .95),
            test_acc=t['accuracy'], test_cov=t['mbi_fraction'], test_pure=t['lookup_only_accuracy'], ram_val=v['ram_accuracy']))
    m = lambda k: (st.mean(100 * r[k] for r in rows), sd([100 * r[k] for r in rows]))
    return dict(rows=rows, **{k: m(k) for k in ('val_pure_tree', 'val_pure_exact', 'val975_tree', 'val975_exact', 'val95_tree', 'val95_exact', 'test_acc', 'test_cov', 'test_pure')})
for tag in ('wide', 'widecont'):
    if os.path.exists(f'{R}/s8/{tag}/test-s3.json'): out[f's8_{tag}'] = s8(tag)
# R3
for v in (1, 5):
    rows = []
    for s in (1, 2, 3):
        n = json.load(open(f'{R}/s10/hamming-234k-v{v}-s{s}.json'))
        rows.append(dict(seed=s, T=n['threshold'], weights=n['weights'], val_cov=n['validation']['mbi_fraction'], val_acc=n['validation']['accuracy'],
                         test_acc=n['test']['accuracy'], test_cov=n['test']['mbi_fraction']))
    out[f's10_v{v}'] = dict(rows=rows, test_acc=(st.mean(100 * r['test_acc'] for r in rows), sd([100 * r['test_acc'] for r in rows])),
                            test_cov=(st.mean(100 * r['test_cov'] for r in rows), sd([100 * r['test_cov'] for r in rows])))
json.dump(out, open('/work/main/docs/mbi/hamming-rerun/summary.json', 'w'), indent=1)
print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != 'rows'} for k, v in out.items()}, indent=1))
