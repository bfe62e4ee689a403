"""The first PyTorch peer of `npm run bench` ("timm"): the same LPT steps as bench/lpt_steps.ts, in
the configurations of bench/config.ts, with the backbone written in timm's layout.

small: ViT (28x28x1, patch 4, dim 192, depth 6, heads 3, MLP 4, timm layout, LayerNorm eps 1e-6,
exact GELU), random frozen weights, shared deep prompt (10 tokens, every block), prompt pool
(20 entries, 10 tokens, last 3 blocks, keys, top-2, mean), cosine head (10 classes, scale 20),
plain SGD. vitb16: the same at ViT-B/16 shapes (224x224x3, patch 16, dim 768, depth 12, heads 12,
pool over the last 6 blocks). Phases:
  1     forward + backward + update of shared prompt and head (loss: CE on 20 * cos)
  2     query pass without gradient, top-2 of the pool, prompted pass, backward to pool, keys
        and head, update (loss: CE - 0.5 * mean of the selected similarities)
  infer query pass + prompted pass + head, no gradient
scripts/bench/torch_encoder_step.py is the second, independent peer; scripts/bench/torch_serve.py
the protocol both serve (--serve: JSON lines on stdin, so that the bench interleaves its own
measurements with these on a shared machine). Run with /usr/bin/python3.
"""
import math

import torch
import torch.nn.functional as F

from torch_serve import CLASSES, POOL_SIZE, PROMPT_LEN, SCALE, TOP_K, serve


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

    return {"1": phase1, "2": phase2, "infer": infer}


if __name__ == "__main__":
    serve(make_steps, "timm")
