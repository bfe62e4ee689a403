#!/usr/bin/env python3
"""Tables and curves of the cross-check (docs/REFERENCE.md) from both sides' own records.

  /usr/bin/python3 scripts/reference/summarize.py --lpt-run RUN_DIR --authors OUT_ROOT \
      [--plot docs/reference-curves.png] [--json docs/reference-results.json]

RUN_DIR is the run directory of `lpt run scripts/reference/reference_mnist_lt.lpt` (its
events.jsonl: the step losses and the test evaluation after every epoch; results.json: the final
per-class counts); OUT_ROOT holds one folder per seed, seedN, each the --out of
run_authors_phase2.py (save/phase2_seedN/log.txt, their per-epoch log; phase1_eval.json and
final_eval.json, the phase-1 state and their final model on the whole test split).
Prints the mean ± sample std (n - 1) over the seeds per shot group.

Shot groups (many n > 100, few n <= 20): lpt's evaluation averages the accuracies of a group's
classes, the authors' code pools the group's test images; MNIST's test classes have 892 to 1,135
images, so the two differ by a few tenths. Each row of the table says which one it uses and both
sides of a comparison use the same: the phase-1 rows the class mean (lpt's evaluation event, and
the authors' model's per-class accuracies averaged), the phase-2 rows pooled images (their log, and
lpt's per-class counts in results.json pooled). The per-epoch curves plot each side's own numbers;
the authors' per-epoch ones come from the test images their evaluation saw (--epoch-test-per-class).
"""
import argparse
import glob
import json
import os
import re
import statistics

GROUPS = ['many', 'medium', 'few', 'overall']
# Membership by training images per class, as both sides define the groups.
MEMBERS = {'overall': lambda n: True, 'many': lambda n: n > 100, 'medium': lambda n: 20 < n <= 100,
           'few': lambda n: n <= 20}
EPOCH_ACC = re.compile(r'epoch (\d+), overall: ([\d.]+)%, many-shot: ([\d.]+)%, medium-shot: ([\d.]+)%, '
                       r'few-shot: ([\d.]+)%')
EPOCH_LOSS = re.compile(r'epoch (\d+), train ([-\d.]+)\|([\d.]+), val ([-\d.]+)\|([\d.]+)')


def lpt_curves(run_dir):
    """{seed: {'phase1': acc, 'loss': [per epoch of phase two], 'acc': [per epoch of phase two]}}."""
    seeds = {}
    with open(os.path.join(run_dir, 'events.jsonl')) as f:
        for line in f:
            e = json.loads(line)
            m = re.search(r'seed=(\d+)', e.get('variant', ''))
            if not m:
                continue
            s = seeds.setdefault(int(m.group(1)), {'evals': {'one': [], 'two': []}, 'losses': {}})
            if e['type'] == 'step' and e['phase'] == 'two':
                s['losses'].setdefault(e['epoch'], []).append(e['losses']['total'])
            elif e['type'] == 'evaluation':
                s['evals'][e['phase']].append({g: e['accuracy'][g] for g in GROUPS})
    with open(os.path.join(run_dir, 'results.json')) as f:
        final = {int(re.search(r'seed=(\d+)', v['variant']).group(1)): v for v in json.load(f)['variants']}
    out = {}
    for seed, s in sorted(seeds.items()):
        epochs = sorted(s['losses'])
        per_class = final[seed]['perClass']
        out[seed] = {'phase1': s['evals']['one'][-1],
                     'loss': [statistics.fmean(s['losses'][e]) for e in epochs],
                     'acc': s['evals']['two'][-len(epochs):],
                     'final_pooled': pooled([c['correct'] for c in per_class], [c['testImages'] for c in per_class],
                                            final[seed]['trainCounts']),
                     'train_counts': final[seed]['trainCounts']}
    return out


def pooled(correct, total, train_counts):
    """The authors' shot accuracy: correct / total over the group's test images."""
    out = {}
    for g, member in MEMBERS.items():
        cs = [c for c, t, n in zip(correct, total, train_counts) if member(n)]
        ts = [t for t, n in zip(total, train_counts) if member(n)]
        out[g] = 100 * sum(cs) / sum(ts)
    return out


def class_mean(per_class, train_counts):
    """lpt's shot accuracy: the mean of the group's per-class accuracies (overall stays pooled)."""
    out = {}
    for g, member in MEMBERS.items():
        out[g] = statistics.fmean(a for a, n in zip(per_class, train_counts) if member(n))
    return out


def authors_curves(root, lpt):
    out = {}
    for folder in sorted(f for f in glob.glob(os.path.join(root, 'seed*')) if os.path.isdir(f)):
        seed = int(os.path.basename(folder)[4:])
        with open(os.path.join(folder, 'save', f'phase2_seed{seed}', 'log.txt')) as f:
            log = f.read()
        acc = [dict(zip(['overall', 'many', 'medium', 'few'], map(float, m.groups()[1:])))
               for m in EPOCH_ACC.finditer(log)]
        loss = [float(m.group(2)) for m in EPOCH_LOSS.finditer(log)]
        with open(os.path.join(folder, 'phase1_eval.json')) as f:
            phase1 = json.load(f)
        if seed not in lpt:
            raise SystemExit(f'summarize: the authors\' side has seed {seed}, the lpt run has {sorted(lpt)}')
        as_lpt = class_mean(phase1['per_class'], lpt[seed]['train_counts'])
        final = None  # a run still going (or stopped) has curves but no final evaluation yet
        if os.path.isfile(os.path.join(folder, 'final_eval.json')):
            with open(os.path.join(folder, 'final_eval.json')) as f:
                final = {g: v for g, v in json.load(f).items() if g in GROUPS}
        out[seed] = {'phase1': {**as_lpt, 'overall': phase1['overall']}, 'loss': loss, 'acc': acc,
                     'final_pooled': final}
    return out


def mean_std(values):
    return (statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0)


def table(rows):
    lines = ['| Run | Seeds | ' + ' | '.join(g.capitalize() for g in GROUPS) + ' |',
             '|---|---:|' + '---:|' * len(GROUPS)]
    for name, results in rows:
        if not results:
            continue
        cells = ['{:.1f} ± {:.1f}'.format(*mean_std([r[g] for r in results])) for g in GROUPS]
        lines.append(f'| {name} | {len(results)} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def plot(lpt, authors, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    panels = [('train loss (epoch mean)', lambda r: r['loss']), ('test overall (%)', lambda r: [a['overall'] for a in r['acc']]),
              ('test few-shot (%)', lambda r: [a['few'] for a in r['acc']])]
    for ax, (title, values) in zip(axes, panels):
        for name, runs, color in [('lpt', lpt, 'tab:blue'), ('authors\' code', authors, 'tab:orange')]:
            for i, (seed, r) in enumerate(sorted(runs.items())):
                ys = values(r)
                ax.plot(range(1, len(ys) + 1), ys, color=color, alpha=0.8, marker='o', markersize=3,
                        label=name if i == 0 else None)
        ax.set_title(title)
        ax.set_xlabel('phase-2 epoch')
        ax.grid(alpha=0.3)
    axes[0].legend()
    fig.suptitle('Phase 2 on MNIST-LT from the same phase-1 states: lpt (whole test set) vs DongSky/LPT '
                 '(200 test images per class), one line per seed', fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--lpt-run', required=True)
    p.add_argument('--authors', required=True)
    p.add_argument('--plot')
    p.add_argument('--json')
    args = p.parse_args()
    lpt = lpt_curves(args.lpt_run)
    authors = authors_curves(args.authors, lpt)
    unfinished = [seed for seed, r in authors.items() if r['final_pooled'] is None]
    if unfinished:
        print(f'The authors\' side has not finished seeds {unfinished}: their curves only, no final row.')
    print(table([
        ('phase-1 state, lpt (class mean)', [r['phase1'] for r in lpt.values()]),
        ('phase-1 state, the authors\' model (class mean)', [r['phase1'] for r in authors.values()]),
        ('phase 2, lpt (pooled)', [r['final_pooled'] for r in lpt.values()]),
        ('phase 2, the authors\' code (pooled)', [r['final_pooled'] for r in authors.values() if r['final_pooled']]),
    ]))
    print()
    for name, runs in [('lpt', lpt), ('authors', authors)]:
        for seed, r in sorted(runs.items()):
            print(f'{name} seed {seed}: loss ' + ' '.join(f'{x:.3f}' for x in r['loss']) + ' | overall ' +
                  ' '.join(f'{a["overall"]:.1f}' for a in r['acc']) + ' | few ' + ' '.join(f'{a["few"]:.1f}' for a in r['acc']))
    if args.plot:
        plot(lpt, authors, args.plot)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'lpt': lpt, 'authors': authors}, f, indent=1)


if __name__ == '__main__':
    main()
