"""PyTorch reference for `npm run bench`: the same LPT steps as bench/lpt_bench.ts.

ViT (28x28x1, patch 4, dim 192, depth 6, heads 3, MLP 4, timm layout, LayerNorm eps 1e-6,
exact GELU), random frozen weights, shared deep prompt (10 tokens, every block), prompt pool
(20 entries, 10 tokens, last 3 blocks, keys, top-2, mean), cosine head (10 classes, scale 20),
plain SGD. Phases:
  1     forward + backward + update of shared prompt and head (loss: CE on 20 * cos)
  2     query pass without gradient, top-2 of the pool, prompted pass, backward to pool, keys
        and head, update (loss: CE - 0.5 * mean of the selected similarities)
  infer query pass + prompted pass + head, no gradient
Prints one JSON object per measurement: {"impl": "torch", "phase", "batch", "img_per_s",
"seconds_per_step", "steps", "threads"}. With --serve it reads requests as JSON lines on stdin,
so that the bench can interleave its own measurements with these on a shared machine. Run with
/usr/bin/python3; OMP_WAIT_POLICY=passive is set by the caller.
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn.functional as F

IMAGE, PATCH, CHANNELS, DIM, DEPTH, HEADS, CLASSES = 28, 4, 1, 192, 6, 3, 10
PROMPT_LEN, POOL_SIZE, POOL_LAYERS, TOP_K, SCALE = 10, 20, (3, 4, 5), 2, 20.0


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = torch.nn.LayerNorm(DIM, eps=1e-6)
        self.qkv = torch.nn.Linear(DIM, 3 * DIM)
        self.proj = torch.nn.Linear(DIM, DIM)
        self.norm2 = torch.nn.LayerNorm(DIM, eps=1e-6)
        self.fc1 = torch.nn.Linear(DIM, 4 * DIM)
        self.fc2 = torch.nn.Linear(4 * DIM, DIM)

    def attention(self, x):
        b, n, d = x.shape
        hd = d // HEADS
        qkv = self.qkv(x).reshape(b, n, 3, HEADS, hd).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = torch.softmax((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd)), dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, d))

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Vit(torch.nn.Module):
    def __init__(self):
        super().__init__()
        grid = IMAGE // PATCH
        self.patch = torch.nn.Conv2d(CHANNELS, DIM, PATCH, PATCH)
        self.cls = torch.nn.Parameter(torch.randn(1, 1, DIM) * 0.02)
        self.pos = torch.nn.Parameter(torch.randn(1, 1 + grid * grid, DIM) * 0.02)
        self.blocks = torch.nn.ModuleList(Block() for _ in range(DEPTH))
        self.norm = torch.nn.LayerNorm(DIM, eps=1e-6)

    def forward(self, x, block_tokens):
        t = self.patch(x).flatten(2).transpose(1, 2)
        t = torch.cat([self.cls.expand(t.shape[0], -1, -1), t], 1) + self.pos
        n = t.shape[1]
        for blk, extra in zip(self.blocks, block_tokens):
            t = blk(torch.cat([t, extra], 1))[:, :n]
        return self.norm(t[:, 0])


def cosine_logits(features, head):
    return F.normalize(features, dim=1) @ F.normalize(head, dim=0)


def shared_tokens(shared, batch):
    return [shared[i].unsqueeze(0).expand(batch, -1, -1) for i in range(DEPTH)]


def select(pool_keys, query):
    sim = F.normalize(query, dim=1) @ F.normalize(pool_keys, dim=1).t()
    top = sim.topk(TOP_K, dim=1).indices
    return sim.gather(1, top), top


def prompted_tokens(shared, pool, top, batch):
    tokens = shared_tokens(shared, batch)
    chosen = pool[top].mean(1)  # [B, nLayers, L, D]
    for j, layer in enumerate(POOL_LAYERS):
        tokens[layer] = torch.cat([tokens[layer], chosen[:, j]], 1)
    return tokens


def make_steps(batch):
    torch.manual_seed(0)
    vit = Vit()
    for p in vit.parameters():
        p.requires_grad_(False)
    shared = (torch.randn(DEPTH, PROMPT_LEN, DIM) * 0.02).requires_grad_(True)
    pool = (torch.randn(POOL_SIZE, len(POOL_LAYERS), PROMPT_LEN, DIM) * 0.02).requires_grad_(True)
    keys = (torch.rand(POOL_SIZE, DIM) * 2 - 1).requires_grad_(True)
    head = (torch.randn(DIM, CLASSES) * 0.02).requires_grad_(True)
    x = torch.randn(batch, CHANNELS, IMAGE, IMAGE)
    y = torch.randint(0, CLASSES, (batch,))
    opt1 = torch.optim.SGD([shared, head], lr=0.01)
    opt2 = torch.optim.SGD([pool, keys, head], lr=0.01)

    def phase1():
        opt1.zero_grad(set_to_none=True)
        logits = cosine_logits(vit(x, shared_tokens(shared, batch)), head)
        F.cross_entropy(SCALE * logits, y).backward()
        opt1.step()

    def phase2():
        with torch.no_grad():
            query = vit(x, shared_tokens(shared, batch))
        opt2.zero_grad(set_to_none=True)
        sim, top = select(keys, query)
        with torch.no_grad():
            base = shared.detach()
        logits = cosine_logits(vit(x, prompted_tokens(base, pool, top, batch)), head)
        (F.cross_entropy(SCALE * logits, y) - 0.5 * sim.sum(1).mean()).backward()
        opt2.step()

    def infer():
        with torch.no_grad():
            query = vit(x, shared_tokens(shared, batch))
            _, top = select(keys, query)
            cosine_logits(vit(x, prompted_tokens(shared, pool, top, batch)), head).argmax(1)

    return {"1": phase1, "2": phase2, "infer": infer}


def measure(steps, phase, warmup, count):
    step = steps[phase]
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(count):
        step()
    return (time.perf_counter() - start) / count


def report(phase, batch, seconds, count, threads):
    print(json.dumps({"impl": "torch", "phase": phase, "batch": batch, "img_per_s": batch / seconds,
                      "seconds_per_step": seconds, "steps": count, "threads": threads}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--phases", default="1,2,infer")
    parser.add_argument("--batches", default="32,128")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--serve", action="store_true",
                        help="read requests {phase, batch, warmup, steps} as JSON lines on stdin")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    built = {}

    def steps_for(batch):
        if batch not in built:
            built[batch] = make_steps(batch)
        return built[batch]

    if args.serve:
        print(json.dumps({"ready": True, "torch": torch.__version__}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                continue
            r = json.loads(line)
            seconds = measure(steps_for(r["batch"]), r["phase"], r["warmup"], r["steps"])
            report(r["phase"], r["batch"], seconds, r["steps"], args.threads)
        return
    for batch in (int(b) for b in args.batches.split(",")):
        for phase in args.phases.split(","):
            report(phase, batch, measure(steps_for(batch), phase, args.warmup, args.steps), args.steps, args.threads)


if __name__ == "__main__":
    main()
