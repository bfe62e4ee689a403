#!/usr/bin/python3
"""The torchvision side of `npm run bench:data`: ImageFolder + DataLoader over a folder.

Run with Debian's python (torchvision 0.14):
  /usr/bin/python3 scripts/bench/torch_data.py --folder DIR --pipeline train --workers 2
Prints one JSON line {"img_per_s", "seconds", "images"}: the best of --rounds full passes over the
folder after --warmup batches (the persistent workers are started by then). The transforms are
torchvision's standard ones at 224 px, as bench/data/pipelines.ts writes them for lpt.
"""
import argparse
import json
import time

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def pipeline(name, size):
    if name == 'train':
        steps = [transforms.RandomResizedCrop(size), transforms.RandomHorizontalFlip()]
    else:
        steps = [transforms.Resize(size * 256 // 224), transforms.CenterCrop(size)]
    return transforms.Compose(steps + [transforms.ToTensor(), transforms.Normalize(MEAN, STD)])


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--folder', required=True)
    p.add_argument('--pipeline', choices=['train', 'test'], required=True)
    p.add_argument('--workers', type=int, required=True)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--size', type=int, default=224)
    p.add_argument('--rounds', type=int, default=2)
    p.add_argument('--warmup', type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(1)
    data = datasets.ImageFolder(a.folder, transform=pipeline(a.pipeline, a.size))
    extra = {'persistent_workers': True, 'prefetch_factor': 2} if a.workers > 0 else {}
    loader = DataLoader(data, batch_size=a.batch, shuffle=False, num_workers=a.workers, **extra)
    it = iter(loader)
    for _ in range(a.warmup):
        next(it)
    del it
    best = float('inf')
    for _ in range(a.rounds):
        start = time.perf_counter()
        n = 0
        for x, _ in loader:
            n += x.shape[0]
        best = min(best, time.perf_counter() - start)
    print(json.dumps({'img_per_s': n / best, 'seconds': best, 'images': n, 'torchvision': __import__('torchvision').__version__}))


if __name__ == '__main__':
    main()
