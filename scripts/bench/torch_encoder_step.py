"""The second PyTorch peer of `npm run bench` ("encoder"): the same LPT steps as the first
(scripts/bench/torch_step.py), written independently from the method's description on PyTorch's
own building blocks, so that the bench does not rest on one hand-written model.

The backbone is a stack of torch.nn.TransformerEncoderLayer (pre-norm, exact GELU, LayerNorm eps
1e-6, no dropout, batch first; torch.nn.MultiheadAttention inside), the patch embedding a linear
map of unfolded patches. Prompts follow VPT-deep: block i sees [CLS, its prompt tokens, patches],
and the prompts' outputs are dropped after the block. Phase 1 trains the shared prompt and the
cosine head; phase 2 computes the query (the CLS feature with the shared prompt, no gradient),
picks the top-2 pool entries by cosine similarity with their keys, and in the pool's blocks adds
the mean of their prompts after the shared prompt; its loss subtracts 0.5 x the batch mean of the
chosen similarities. Inference runs both passes without a gradient (there PyTorch's fused
encoder-layer kernel applies where the head count is even: ViT-B/16, not the small model's 3).
"""
import torch
import torch.nn.functional as F
from torch import nn

from torch_serve import CLASSES, POOL_SIZE, PROMPT_LEN, SCALE, TOP_K, serve


class PromptedEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        dim, self.patch = c["dim"], c["patch"]
        tokens = 1 + (c["image"] // c["patch"]) ** 2
        self.embed = nn.Linear(c["channels"] * c["patch"] ** 2, dim)
        self.cls_token = nn.Parameter(0.02 * torch.randn(1, 1, dim))
        self.position = nn.Parameter(0.02 * torch.randn(1, tokens, dim))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, c["heads"], 4 * dim, dropout=0.0, activation=F.gelu,
                                       layer_norm_eps=1e-6, batch_first=True, norm_first=True)
            for _ in range(c["depth"]))
        self.final_norm = nn.LayerNorm(dim, eps=1e-6)
        self.requires_grad_(False)
        self.eval()

    def forward(self, images, prompts):
        """prompts[i]: [B, P_i, dim], the tokens block i sees besides the image's."""
        patches = F.unfold(images, self.patch, stride=self.patch).transpose(1, 2)
        x = self.embed(patches)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.position
        for layer, p in zip(self.layers, prompts):
            y = layer(torch.cat([x[:, :1], p, x[:, 1:]], dim=1))
            x = torch.cat([y[:, :1], y[:, 1 + p.shape[1]:]], dim=1)
        return self.final_norm(x[:, 0])


def make_steps(batch, c, device):
    dim, depth, pool_layers = c["dim"], c["depth"], list(c["pool_layers"])
    model = PromptedEncoder(c).to(device)
    shared = nn.Parameter(0.02 * torch.randn(depth, PROMPT_LEN, dim, device=device))
    pool = nn.Parameter(0.02 * torch.randn(POOL_SIZE, len(pool_layers), PROMPT_LEN, dim, device=device))
    keys = nn.Parameter(torch.empty(POOL_SIZE, dim, device=device).uniform_(-1, 1))
    classifier = nn.Parameter(0.02 * torch.randn(CLASSES, dim, device=device))
    images = torch.randn(batch, c["channels"], c["image"], c["image"], device=device)
    labels = torch.randint(0, CLASSES, (batch,), device=device)
    phase1_sgd = torch.optim.SGD([shared, classifier], lr=0.01)
    phase2_sgd = torch.optim.SGD([pool, keys, classifier], lr=0.01)

    def logits(features):
        return SCALE * F.linear(F.normalize(features, dim=-1), F.normalize(classifier, dim=-1))

    def shared_prompts(prompt):
        return [prompt[i].expand(batch, -1, -1) for i in range(depth)]

    def pool_prompts(prompt, query):
        similarity = F.normalize(query, dim=-1) @ F.normalize(keys, dim=-1).T
        chosen_similarity, chosen = similarity.topk(TOP_K, dim=-1)
        chosen_prompts = pool[chosen].mean(dim=1)  # [B, pool layers, P, dim]
        prompts = shared_prompts(prompt)
        for j, layer in enumerate(pool_layers):
            prompts[layer] = torch.cat([prompts[layer], chosen_prompts[:, j]], dim=1)
        return prompts, chosen_similarity

    def phase1():
        phase1_sgd.zero_grad(set_to_none=True)
        F.cross_entropy(logits(model(images, shared_prompts(shared))), labels).backward()
        phase1_sgd.step()

    def phase2():
        frozen = shared.detach()
        with torch.no_grad():
            query = model(images, shared_prompts(frozen))
        phase2_sgd.zero_grad(set_to_none=True)
        prompts, chosen_similarity = pool_prompts(frozen, query)
        loss = F.cross_entropy(logits(model(images, prompts)), labels) - 0.5 * chosen_similarity.sum(-1).mean()
        loss.backward()
        phase2_sgd.step()

    @torch.no_grad()
    def infer():
        query = model(images, shared_prompts(shared))
        prompts, _ = pool_prompts(shared, query)
        logits(model(images, prompts)).argmax(-1).cpu()

    return {"1": phase1, "2": phase2, "infer": infer}


if __name__ == "__main__":
    serve(make_steps, "encoder")
