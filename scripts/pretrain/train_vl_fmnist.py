"""Pretrain the project's small vision-language expert on all of Fashion-MNIST (weights/vl-fmnist.*).

It stands in for CLIP in LPT++ (docs/METHOD.md, "LPT++"): a second tiny image tower trained not as a
classifier but to align images with text. The text side is a small encoder the project ships:
  text(prompt) = W . mean_w unit(glove(w))      (words of the prompt, GloVe 100-d, weights/vl-words.json)
  class embedding = text / |text|                 W: [64, 100], learned, no bias
The objective is CLIP's image-to-text contrastive loss over class prompts (DeViSE-like): for each
batch a caption is drawn per class (one of 7 templates x one of 1-4 names per class), and
  loss = CE(exp(t) * cos(f(x_i), text(caption_c)) over classes c, y_i)    t: learned temperature
where f(x) is the image tower's final-LayerNorm CLS feature (64-d, the same space as the text).
The image tower is a torchvision VisionTransformer (image 28, patch 7, 4 layers, 4 heads, dim 64,
MLP 256, 1-channel stem), i.e. shallower than the visual expert's 6 layers, from another seed.

Outputs (atomically): weights/vl-fmnist.safetensors (image tower, torchvision names),
weights/vl-fmnist-text.json (W, the template, the logit scale), weights/vl-fmnist.json (recipe and
numbers), test/fixtures/vl-fmnist/ (16 MNIST images, their features, and the MNIST class embeddings
of "a photo of a {}": parity fixtures for the runtime's tower and text encoder).

Run (from the repository root, Debian's PyTorch 1.13 + torchvision 0.14):
  OMP_WAIT_POLICY=passive nice -n 5 /usr/bin/python3 scripts/pretrain/train_vl_fmnist.py --epochs 6
"""
import argparse
import json
import math
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.vision_transformer import VisionTransformer

sys.path.insert(0, os.path.dirname(__file__))
import train_vit_fmnist as base  # noqa: E402
from vl_vocabulary import FASHION_NAMES, MNIST_NAMES, TEMPLATES, tokenize  # noqa: E402

CONFIG = dict(base.CONFIG, num_layers=4)
EVAL_TEMPLATE = "a photo of a {}"
WORDS_FILE = "weights/vl-words.json"


class TextEncoder(nn.Module):
    def __init__(self, words, dim):
        super().__init__()
        self.words = {w: F.normalize(torch.tensor(v), dim=0) for w, v in words.items()}
        self.proj = nn.Linear(len(next(iter(self.words.values()))), dim, bias=False)

    def mean_vector(self, prompt):
        return torch.stack([self.words[t] for t in tokenize(prompt)]).mean(0)

    def forward(self, prompts):
        return F.normalize(self.proj(torch.stack([self.mean_vector(p) for p in prompts])), dim=-1)


class VisionLanguage(nn.Module):
    def __init__(self, words):
        super().__init__()
        c = CONFIG
        self.image = VisionTransformer(c["image_size"], c["patch_size"], c["num_layers"], c["num_heads"],
                                       c["hidden_dim"], c["mlp_dim"], dropout=0.0, attention_dropout=0.0,
                                       num_classes=c["num_classes"])
        self.image.conv_proj = nn.Conv2d(c["channels"], c["hidden_dim"], c["patch_size"], c["patch_size"])
        self.image.heads = nn.Identity()
        self.text = TextEncoder(words, c["hidden_dim"])
        self.log_scale = nn.Parameter(torch.tensor(math.log(10.0)))

    def logits(self, x, class_texts):
        f = F.normalize(base.features(self.image, x), dim=-1)
        return self.log_scale.exp().clamp(max=100) * f @ self.text(class_texts).T


def sample_captions(generator):
    captions = []
    for names in FASHION_NAMES:
        template = TEMPLATES[torch.randint(len(TEMPLATES), (1,), generator=generator).item()]
        name = names[torch.randint(len(names), (1,), generator=generator).item()]
        captions.append(template.format(name))
    return captions


def class_prompts(names):
    return [EVAL_TEMPLATE.format(n[0] if isinstance(n, list) else n) for n in names]


@torch.no_grad()
def prompt_accuracy(model, x, y, names):
    model.eval()
    logits = base.batched(lambda b: model.logits(b, class_prompts(names)), x)
    return (logits.argmax(1) == y).float().mean().item()


def train(model, x, y, xt, yt, args):
    generator = torch.Generator().manual_seed(args.seed)
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "pos_embedding" not in n
             and "class_token" not in n]
    no_decay = [p for n, p in model.named_parameters() if not any(p is q for q in decay)]
    optimiser = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = math.ceil(x.shape[0] / args.batch)
    total, warmup = steps_per_epoch * args.epochs, int(steps_per_epoch * args.warmup_epochs)
    step, history, started = 0, [], time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(x.shape[0], generator=generator)
        loss_sum, epoch_start = 0.0, time.time()
        for i in range(steps_per_epoch):
            if args.measure and i == args.measure:
                per_step = (time.time() - epoch_start) / args.measure
                print(f"{per_step * 1000:.1f} ms/step -> {per_step * steps_per_epoch:.1f} s/epoch (train only)")
                return None
            idx = order[i * args.batch:(i + 1) * args.batch]
            for group in optimiser.param_groups:
                group["lr"] = base.lr_at(step, total, warmup, args.lr)
            logits = model.logits(base.augment(x[idx], generator), sample_captions(generator))
            loss = F.cross_entropy(logits, y[idx])
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            loss_sum += loss.item() * idx.shape[0]
            step += 1
            if step % 50 == 0:
                print(f"  step {step}/{total}  loss {loss.item():.4f}  {time.time() - started:.0f}s", flush=True)
        test_acc = prompt_accuracy(model, xt, yt, FASHION_NAMES)
        history.append(dict(epoch=epoch + 1, loss=loss_sum / x.shape[0], test_acc=test_acc,
                            seconds=round(time.time() - epoch_start, 1)))
        print(f"epoch {epoch + 1:2d}/{args.epochs}  loss {loss_sum / x.shape[0]:.4f}  prompt test acc "
              f"{test_acc * 100:.2f}%  total {time.time() - started:.0f}s", flush=True)
    return history, time.time() - started


def probe_predictions(tower, seed, train_count=5000, epochs=30):
    """The visual backbone's probe recipe (base.linear_probe), returning the MNIST test predictions."""
    x, y = base.load_split(base.MNIST_DIR, "train", "")
    xt, yt = base.load_split(base.MNIST_DIR, "test", "")
    tower.eval()
    f = base.batched(lambda b: base.features(tower, b), x[:train_count])
    ft = base.batched(lambda b: base.features(tower, b), xt)
    y = y[:train_count]
    torch.manual_seed(seed)
    probe = nn.Linear(f.shape[1], 10)
    optimiser = torch.optim.Adam(probe.parameters(), lr=1e-2, weight_decay=1e-4)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(train_count, generator=generator)
        for i in range(0, train_count, 128):
            idx = order[i:i + 128]
            loss = F.cross_entropy(probe(f[idx]), y[idx])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    with torch.no_grad():
        return probe(ft).argmax(1), yt


def error_overlap(vl_tower, seed):
    """How different the two experts' errors are on MNIST: a linear probe on each frozen tower."""
    visual = base.build_model()
    state = base_state("weights/vit-fmnist.safetensors")
    missing = visual.load_state_dict(state, strict=False).missing_keys
    if any(not k.startswith("heads.") for k in missing):
        raise SystemExit(f"weights/vit-fmnist.safetensors: missing {missing}")
    pv, yt = probe_predictions(visual, seed)
    pl, _ = probe_predictions(vl_tower, seed)
    wv, wl = pv != yt, pl != yt
    both = (wv & wl).float().mean().item()
    corr = np.corrcoef(wv.float().numpy(), wl.float().numpy())[0, 1]
    return dict(visual_probe_acc=round(1 - wv.float().mean().item(), 4),
                vl_probe_acc=round(1 - wl.float().mean().item(), 4),
                both_wrong=round(both, 4), disagreement=round((pv != pl).float().mean().item(), 4),
                either_right=round(1 - both, 4), error_correlation=round(float(corr), 4),
                note="logistic regression on each frozen tower's features, MNIST train[:5000] -> 10k test")


def base_state(path):
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        data = f.read()
    return {k: torch.from_numpy(np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], dtype="<f4")
                                .reshape(v["shape"]).copy())
            for k, v in header.items() if k != "__metadata__"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--wd", type=float, default=0.05)
    parser.add_argument("--warmup-epochs", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--measure", type=int, default=0, help="time this many steps and exit")
    parser.add_argument("--train-limit", type=int, default=0, help="smoke test: use only N train images")
    parser.add_argument("--out-root", default=".", help="where weights/ and test/fixtures/ are written")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    with open(WORDS_FILE) as f:
        words = json.load(f)["words"]
    x, y = base.load_split(base.FASHION_DIR, "train", ".gz")
    xt, yt = base.load_split(base.FASHION_DIR, "test", ".gz")
    if args.train_limit:
        x, y = x[:args.train_limit], y[:args.train_limit]
    model = VisionLanguage(words)
    result = train(model, x, y, xt, yt, args)
    if result is None:
        return
    history, train_time = result
    model.eval()
    mx, my = base.load_split(base.MNIST_DIR, "test", "")
    mnist_prompt_acc = prompt_accuracy(model, mx, my, MNIST_NAMES)
    overlap = error_overlap(model.image, args.seed)
    print(f"MNIST zero-shot with digit-name prompts: {mnist_prompt_acc * 100:.2f}%; probes: {overlap}")
    write_outputs(model, args, history, train_time, x.shape[0], mnist_prompt_acc, overlap)


def write_outputs(model, args, history, train_time, train_images, mnist_prompt_acc, overlap):
    root = args.out_root
    tower = {k: v for k, v in model.image.state_dict().items() if not k.startswith("heads")}
    params = sum(v.numel() for v in tower.values())
    with torch.no_grad():
        fixture_input = base.normalise(base.read_idx(os.path.join(base.MNIST_DIR, "t10k-images-idx3-ubyte"))[:16])
        fixture_features = base.features(model.image, fixture_input)
        mnist_classes = model.text(class_prompts(MNIST_NAMES))
    text = dict(format="lpt-text-encoder-v1", kind="mean-word-vectors", words="vl-words.json",
                normalise_words=True, template=EVAL_TEMPLATE, embed_dim=CONFIG["hidden_dim"],
                projection=model.text.proj.weight.detach().numpy().round(7).tolist(),
                logit_scale=round(model.log_scale.exp().item(), 4))
    meta = dict(name="vl-fmnist", config=CONFIG, tower_params=params, text_params=model.text.proj.weight.numel(),
                dataset="Fashion-MNIST (Zalando Research, MIT licence): all 60k train images, balanced",
                objective="CLIP-style image-to-text contrastive over class prompts (DeViSE-like)",
                recipe=dict(script="scripts/pretrain/train_vl_fmnist.py", epochs=args.epochs, batch=args.batch,
                            optimiser="adamw", lr=args.lr, weight_decay=args.wd, schedule="cosine per step",
                            warmup_epochs=args.warmup_epochs, augment="random crop pad 2 (fill -1) + horizontal flip",
                            templates=TEMPLATES, seed=args.seed, threads=args.threads, train_images=train_images),
                fashion_mnist_prompt_test_acc=round(history[-1]["test_acc"], 4),
                mnist_zero_shot_acc=round(mnist_prompt_acc, 4), mnist_probe_comparison=overlap,
                history=history, train_seconds=round(train_time, 1), torch=torch.__version__,
                torchvision=torchvision.__version__, python=platform.python_version(), machine=platform.machine())
    st_meta = {"format": "pt", "naming": "torchvision", "source": "scripts/pretrain/train_vl_fmnist.py"}
    base.write_atomic(os.path.join(root, "weights/vl-fmnist.safetensors"), base.safetensors_bytes(tower, st_meta))
    base.write_atomic(os.path.join(root, "weights/vl-fmnist-text.json"), (json.dumps(text) + "\n").encode())
    base.write_atomic(os.path.join(root, "weights/vl-fmnist.json"), (json.dumps(meta, indent=2) + "\n").encode())
    fixtures = os.path.join(root, "test/fixtures/vl-fmnist")
    base.write_atomic(os.path.join(fixtures, "input.npy"), base.npy_bytes(fixture_input.numpy()))
    base.write_atomic(os.path.join(fixtures, "features.npy"), base.npy_bytes(fixture_features.numpy()))
    base.write_atomic(os.path.join(fixtures, "mnist_class_embeddings.npy"), base.npy_bytes(mnist_classes.numpy()))
    print(f"wrote weights/vl-fmnist.{{safetensors,json}}, weights/vl-fmnist-text.json ({params} tower params), "
          f"test/fixtures/vl-fmnist/")


if __name__ == "__main__":
    main()
