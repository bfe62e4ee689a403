"""PyTorch reference for `npm run bench`: the same LPT steps as bench/lpt_steps.ts, in the
configurations of bench/config.ts.

small: ViT (28x28x1, patch 4, dim 192, depth 6, heads 3, MLP 4, timm layout, LayerNorm eps 1e-6,
exact GELU), random frozen weights, shared deep prompt (10 tokens, every block), prompt pool
(20 entries, 10 tokens, last 3 blocks, keys, top-2, mean), cosine head (10 classes, scale 20),
plain SGD. vitb16: the same at ViT-B/16 shapes (224x224x3, patch 16, dim 768, depth 12, heads 12,
pool over the last 6 blocks). Phases:
  1     forward + backward + update of shared prompt and head (loss: CE on 20 * cos)
  2     query pass without gradient, top-2 of the pool, prompted pass, backward to pool, keys
        and head, update (loss: CE - 0.5 * mean of the selected similarities)
  infer query pass + prompted pass + head, no gradient
Prints one JSON object per measurement: {"impl": "torch", "phase", "batch", "img_per_s",
"seconds_per_step", "steps", "threads"}. With --serve it reads requests as JSON lines on stdin,
so that the bench can interleave its own measurements with these on a shared machine. A request
with "memory": true answers {"peak_bytes"} instead: one untimed step, then the peak resident set
of one step over the resident set before it (CPU; Linux's /proc/self/clear_refs resets the peak,
and glibc's malloc_trim first returns the memory freed so far, so the step's own allocations count).
Run with /usr/bin/python3; OMP_WAIT_POLICY=passive is set by the caller.
"""
import argparse
import ctypes
import gc
import json
import math
import re
import sys
import time

import torch
import torch.nn.functional as F

CONFIGS = {
    "small": dict(image=28, patch=4, channels=1, dim=192, depth=6, heads=3, pool_layers=(3, 4, 5)),
    "vitb16": dict(image=224, patch=16, channels=3, dim=768, depth=12, heads=12, pool_layers=(6, 7, 8, 9, 10, 11)),
}
CLASSES, PROMPT_LEN, POOL_SIZE, TOP_K, SCALE = 10, 10, 20, 2, 20.0


class Block(torch.nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = torch.nn.LayerNorm(dim, eps=1e-6)
        self.qkv = torch.nn.Linear(dim, 3 * dim)
        self.proj = torch.nn.Linear(dim, dim)
        self.norm2 = torch.nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = torch.nn.Linear(dim, 4 * dim)
        self.fc2 = torch.nn.Linear(4 * dim, dim)

    def attention(self, x):
        b, n, d = x.shape
        hd = d // self.heads
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = torch.softmax((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd)), dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, d))

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Vit(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        grid = c["image"] // c["patch"]
        dim = c["dim"]
        self.patch = torch.nn.Conv2d(c["channels"], dim, c["patch"], c["patch"])
        self.cls = torch.nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pos = torch.nn.Parameter(torch.randn(1, 1 + grid * grid, dim) * 0.02)
        self.blocks = torch.nn.ModuleList(Block(dim, c["heads"]) for _ in range(c["depth"]))
        self.norm = torch.nn.LayerNorm(dim, eps=1e-6)

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
    return [shared[i].unsqueeze(0).expand(batch, -1, -1) for i in range(shared.shape[0])]


def select(pool_keys, query):
    sim = F.normalize(query, dim=1) @ F.normalize(pool_keys, dim=1).t()
    top = sim.topk(TOP_K, dim=1).indices
    return sim.gather(1, top), top


def prompted_tokens(shared, pool, top, batch, pool_layers):
    tokens = shared_tokens(shared, batch)
    chosen = pool[top].mean(1)  # [B, nLayers, L, D]
    for j, layer in enumerate(pool_layers):
        tokens[layer] = torch.cat([tokens[layer], chosen[:, j]], 1)
    return tokens


def make_steps(batch, c, device):
    torch.manual_seed(0)
    dim, layers = c["dim"], c["pool_layers"]
    vit = Vit(c).to(device)
    for p in vit.parameters():
        p.requires_grad_(False)
    shared = (torch.randn(c["depth"], PROMPT_LEN, dim, device=device) * 0.02).requires_grad_(True)
    pool = (torch.randn(POOL_SIZE, len(layers), PROMPT_LEN, dim, device=device) * 0.02).requires_grad_(True)
    keys = (torch.rand(POOL_SIZE, dim, device=device) * 2 - 1).requires_grad_(True)
    head = (torch.randn(dim, CLASSES, device=device) * 0.02).requires_grad_(True)
    x = torch.randn(batch, c["channels"], c["image"], c["image"], device=device)
    y = torch.randint(0, CLASSES, (batch,), device=device)
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
        logits = cosine_logits(vit(x, prompted_tokens(base, pool, top, batch, layers)), head)
        (F.cross_entropy(SCALE * logits, y) - 0.5 * sim.sum(1).mean()).backward()
        opt2.step()

    def infer():
        with torch.no_grad():
            query = vit(x, shared_tokens(shared, batch))
            _, top = select(keys, query)
            cosine_logits(vit(x, prompted_tokens(shared, pool, top, batch, layers)), head).argmax(1).cpu()

    def synced(step):
        def run():
            step()
            if device.type == "cuda":
                torch.cuda.synchronize()
        return run

    return {"1": synced(phase1), "2": synced(phase2), "infer": synced(infer)}


def measure(steps, phase, warmup, count):
    step = steps[phase]
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(count):
        step()
    return (time.perf_counter() - start) / count


def resident_kib(field):
    with open("/proc/self/status") as f:
        return int(re.search(field + r":\s+(\d+) kB", f.read()).group(1))


def step_peak_bytes(steps, phase):
    step = steps[phase]
    step()
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # the peak resident set (VmHWM) starts again from the resident set now
    before = resident_kib("VmRSS")
    step()
    return (resident_kib("VmHWM") - before) * 1024


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
    parser.add_argument("--config", default="small", choices=sorted(CONFIGS))
    parser.add_argument("--device", default="cpu", help="cpu, or cuda on a GPU machine (scripts/gpu/device_check.sh)")
    parser.add_argument("--serve", action="store_true",
                        help="read requests {phase, batch, warmup, steps} as JSON lines on stdin")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    built = {}
    device = torch.device(args.device)

    def steps_for(batch, config):
        if (batch, config) not in built:
            built[(batch, config)] = make_steps(batch, CONFIGS[config], device)
        return built[(batch, config)]

    if args.serve:
        print(json.dumps({"ready": True, "torch": torch.__version__}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("memory"):
                steps = steps_for(r["batch"], r.get("config", args.config))
                print(json.dumps({"peak_bytes": step_peak_bytes(steps, r["phase"])}), flush=True)
                continue
            seconds = measure(steps_for(r["batch"], r.get("config", args.config)), r["phase"], r["warmup"], r["steps"])
            report(r["phase"], r["batch"], seconds, r["steps"], args.threads)
        return
    for batch in (int(b) for b in args.batches.split(",")):
        for phase in args.phases.split(","):
            report(phase, batch, measure(steps_for(batch, args.config), phase, args.warmup, args.steps), args.steps, args.threads)


if __name__ == "__main__":
    main()
