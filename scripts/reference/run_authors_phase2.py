#!/usr/bin/env python3
"""Runs the LPT authors' released phase-2 script on an lpt export (docs/REFERENCE.md).

  /usr/bin/python3 scripts/reference/run_authors_phase2.py --authors LPT_CHECKOUT --export EXPORT_DIR \
      --seed 0 --out OUT_DIR [--epochs 10] [--batch-size 32] [--lr 0.01] [--weight-decay 1e-4]

LPT_CHECKOUT is a checkout of github.com/DongSky/LPT (the commit docs/REFERENCE.md names);
EXPORT_DIR is `lpt export RUN_DIR --seed N --phase one --out EXPORT_DIR`: the phase-1 state
(backbone in timm names, shared prompt and cosine head in the authors' names) and the MNIST-LT
split lists with their PNG images.

The authors' `phase2_test/train_dual_dualloss.py` runs unchanged: its `main(args)` with their
sampler, A-GCL losses, prompt-pool model, SGD, timm cosine schedule, transforms and evaluation.
This driver replaces only what a different backbone, data set and machine require, each named
here:
  - timm is not installable here: scripts/reference/timm_shim/ stands in for the pieces they
    import (VisionTransformer, PatchEmbed, DropPath, to_2tuple, trunc_normal_, CosineLRScheduler);
  - the model constructors (`build_promptmodel`, `build_promptmodel_pool`) build their own
    VPT_ViT classes at the export's geometry (28 px, patch 7, dim 64, depth 6, 4 heads, the
    pool in the last depth // 2 blocks as lpt's `last_half`) instead of
    timm.create_model('vit_base_patch16_224_in21k', pretrained=True), and load the exported
    backbone the way theirs loads timm's (strict=False). Their data pipeline decodes every image
    to RGB and normalises 3 channels; the grey PNGs so arrive as three equal channels, and a
    1-channel backbone's patch embedding becomes a 3-channel one with its kernel divided by 3
    over the channels (the same function of a grey image, up to rounding);
  - `create_datasets` returns their LT_Dataset on the export's split lists (splits/train.txt,
    splits/test.txt, images under the export);
  - their transforms are ImageNet's (RandomResizedCrop and a horizontal flip for training, a
    resize to 8/7 and a center crop for testing); the lpt side is the quickstart's MNIST-LT, which
    has none, so with `--transforms none` (the default) those four are identities and only their
    ToTensor and Normalize(0.5, 0.5) remain; `--transforms authors` keeps theirs;
  - `setup_seed(42)` is hard-coded in their main: the driver seeds with --seed instead;
  - their losses build `torch.cuda.FloatTensor(...)`: on a machine without CUDA that is
    `torch.FloatTensor`;
  - the phase-1 checkpoint they read from ./phase1.pth is written there from the export;
  - their script evaluates the whole test split after every epoch, which on the shared 2-core
    machine costs more than the epoch's training: with --epoch-test-per-class K their per-epoch
    evaluation sees K test images of each class, evenly spaced through the class (the curves),
    and after their main returns the driver evaluates their final model (save/.../epoch-last.pth) on the whole test
    split with their own forward pass (OUT_DIR/final_eval.json, the table). 0 keeps theirs.
Their script writes save/phase2_seedN/log.txt (per-epoch losses and shot accuracies) and
epoch checkpoints under OUT_DIR; this driver adds OUT_DIR/driver.json (the settings) and
OUT_DIR/phase1_eval.json: the phase-1 state evaluated by their phase-1 model (PromptModels.VPT_ViT)
with their test transforms, to check that the export loads as lpt ran it.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'timm_shim'))
sys.path.insert(0, os.path.join(HERE, '..', 'fixtures'))

import torch  # noqa: E402

from make_export_fixtures import read_safetensors as read_float64  # noqa: E402  (the export's reader)


def read_safetensors(path):
    """(tensors in float32, metadata) of a safetensors file (the export parity script's reader)."""
    tensors, metadata = read_float64(path)
    return {name: t.float() for name, t in tensors.items()}, metadata


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--authors', required=True, help='checkout of DongSky/LPT')
    p.add_argument('--export', required=True, help='an lpt export of the phase-1 state (lpt export --phase one)')
    p.add_argument('--seed', type=int, required=True)
    p.add_argument('--out', required=True, help='folder for their save/ and log (created)')
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--batch-size', type=int, default=32)
    p.add_argument('--lr', type=float, default=0.01, help='the rate at --batch-size (their --base_lr is lr * 256 / batch)')
    p.add_argument('--weight-decay', type=float, default=1e-4)
    p.add_argument('--pool-size', type=int, default=20)
    p.add_argument('--top-k', type=int, default=2)
    p.add_argument('--prompt-length', type=int, default=10)
    p.add_argument('--epoch-test-per-class', type=int, default=0,
                   help='test images per class in their per-epoch evaluation (0: all); the final one sees all')
    p.add_argument('--transforms', choices=['none', 'authors'], default='none',
                   help="none: the quickstart's pipeline (ToTensor, Normalize); authors: theirs as released")
    return p.parse_args()


def fail(message):
    raise SystemExit(f'run_authors_phase2: {message}')


def load_export(export):
    manifest_path = os.path.join(export, 'manifest.json')
    if not os.path.isfile(manifest_path):
        fail(f'{export}: no manifest.json; is it the folder `lpt export ... --out` wrote?')
    with open(os.path.join(export, 'classes.txt')) as f:
        classes = [line.rstrip('\n') for line in f if line.strip()]
    weights = os.path.join(export, 'weights')
    backbones = [n for n in sorted(os.listdir(weights)) if n.endswith('.safetensors') and n != 'trained.safetensors']
    if len(backbones) != 1:
        fail(f'{weights}: expected one backbone file beside trained.safetensors, found {backbones}')
    backbone, meta = read_safetensors(os.path.join(weights, backbones[0]))
    trained, _ = read_safetensors(os.path.join(weights, 'trained.safetensors'))
    for name in ['prompt_learner.Prompt_Tokens', 'prompt_learner.head.weight']:
        if name not in trained:
            fail(f'{weights}/trained.safetensors: no {name}; export the phase-1 state (--phase one) of an LPT run')
    if 'prompt_learner.Prompt_Tokens_pool' in trained:
        fail(f'{weights}/trained.safetensors holds a trained pool: export the phase-1 state (--phase one)')
    if 'lpt.heads' not in meta:
        fail(f'{weights}/{backbones[0]}: no lpt.heads in the metadata')
    return classes, backbone, meta, trained


def geometry(backbone, meta):
    """The ViT's shape from the exported tensors (and the head count from the metadata)."""
    dim, _channels, patch, _ = backbone['patch_embed.proj.weight'].shape
    grid = round((backbone['pos_embed'].shape[1] - 1) ** 0.5)
    depth = len({k.split('.')[1] for k in backbone if k.startswith('blocks.')})
    return dict(img_size=grid * patch, patch_size=patch, embed_dim=dim, depth=depth, num_heads=int(meta['lpt.heads']))


def rgb_patch_embedding(backbone):
    """A 1-channel patch embedding as a 3-channel one for three equal channels (kernel / 3 each)."""
    weight = backbone['patch_embed.proj.weight']
    if weight.shape[1] == 1:
        backbone = {**backbone, 'patch_embed.proj.weight': weight.repeat(1, 3, 1, 1) / 3}
    return backbone


def without_augmentation(transforms):
    """torchvision.transforms with the crops, resize and flip of their pipeline as identities."""
    import types

    def identity(*_args, **_kwargs):
        return lambda image: image

    return types.SimpleNamespace(Compose=transforms.Compose, ToTensor=transforms.ToTensor,
                                 Normalize=transforms.Normalize, RandomResizedCrop=identity,
                                 RandomHorizontalFlip=identity, Resize=identity, CenterCrop=identity)


def their_test_transforms(transforms, size):
    """The test transforms of their main, at the backbone's image size."""
    return transforms.Compose([
        transforms.Resize((size * 8 // 7, size * 8 // 7)),
        transforms.CenterCrop((size, size)),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5]),
    ])


def evaluate(model, train, test, num_classes):
    """Top-1 accuracy overall, per shot group (their definition: many n > 100, few n <= 20, a
    group's test images pooled) and per class, of a model whose forward returns logits first."""
    from torch.utils.data.dataloader import DataLoader

    model.eval()
    correct = torch.zeros(num_classes)
    total = torch.zeros(num_classes)
    with torch.no_grad():
        for images, labels in DataLoader(test, batch_size=256, num_workers=2):
            logits = model(images)
            logits = logits[0] if isinstance(logits, tuple) else logits
            hits = (logits.argmax(dim=1) == labels).float()
            correct.index_add_(0, labels, hits)
            total.index_add_(0, labels, torch.ones_like(hits))
    n = torch.tensor([train.label_freq.get(c, 0) for c in range(num_classes)])
    groups = {'overall': n >= 0, 'many': n > 100, 'medium': (n > 20) & (n <= 100), 'few': n <= 20}
    accuracy = {g: 100 * correct[m].sum().item() / max(total[m].sum().item(), 1) for g, m in groups.items()}
    return {**accuracy, 'per_class': (100 * correct / total).tolist()}


def spread_per_class(dataset, k):
    """Keeps k images of each class of an LT_Dataset, evenly spaced through the class's images in
    list order (MNIST's test file is not shuffled: its first and second halves come from different
    writers, so the first k would be a biased sample)."""
    by_class = {}
    for i, label in enumerate(dataset.labels):
        by_class.setdefault(label, []).append(i)
    kept = sorted(idx[j * len(idx) // k] for idx in by_class.values() for j in range(min(k, len(idx))))
    dataset.img_path = [dataset.img_path[i] for i in kept]
    dataset.labels = [dataset.labels[i] for i in kept]
    dataset.compute_label_freq()
    return dataset


def main():
    args = parse_args()
    authors = os.path.abspath(os.path.join(args.authors, 'phase2_test'))
    export = os.path.abspath(args.export)
    out = os.path.abspath(args.out)
    if not os.path.isfile(os.path.join(authors, 'train_dual_dualloss.py')):
        fail(f'{args.authors}: no phase2_test/train_dual_dualloss.py; pass a checkout of DongSky/LPT')
    classes, backbone, meta, trained = load_export(export)
    geo = {**geometry(backbone, meta), 'in_chans': 3}  # their dataset decodes to RGB
    backbone = rgb_patch_embedding(backbone)
    share_blocks = geo['depth'] // 2

    if not torch.cuda.is_available():
        torch.cuda.FloatTensor = torch.FloatTensor
    sys.path.insert(0, authors)
    import train_dual_dualloss as script
    import PromptModels.structure as shared_structure
    import PromptModels_pool.structure as pool_structure
    from vtab.LT_dataset import LT_Dataset

    def with_backbone(model):
        missing, unexpected = model.load_state_dict(backbone, strict=False)
        if unexpected or any(not k.startswith('prompt_learner.') for k in missing):
            fail(f'the exported backbone does not fit their VPT_ViT: missing {missing}, unexpected {unexpected}')
        model.Freeze()
        return model

    def build_promptmodel(num_classes, Prompt_Token_num, VPT_type, **_ignored):
        return with_backbone(shared_structure.VPT_ViT(num_classes=num_classes, Prompt_Token_num=Prompt_Token_num,
                                                      VPT_type=VPT_type, **geo))

    def build_promptmodel_pool(num_classes, Prompt_Token_num, VPT_type, **_ignored):
        return with_backbone(pool_structure.VPT_ViT(num_classes=num_classes, Prompt_Token_num=Prompt_Token_num,
                                                    VPT_type=VPT_type, topk=args.top_k, pool_size=args.pool_size,
                                                    share_blocks=share_blocks, **geo))

    def full_datasets(train_transforms, test_transforms):
        train = LT_Dataset(root=export, txt=os.path.join(export, 'splits', 'train.txt'), transform=train_transforms)
        test = LT_Dataset(root=export, txt=os.path.join(export, 'splits', 'test.txt'), transform=test_transforms)
        return train, test

    def create_datasets(data_path, train_transforms, val_transforms, *_ignored):
        train, test = full_datasets(train_transforms, val_transforms)
        if args.epoch_test_per_class > 0:
            test = spread_per_class(test, args.epoch_test_per_class)
        return train, test, len(classes)

    seed_everything = script.setup_seed
    script.setup_seed = lambda _their_42: seed_everything(args.seed)
    script.build_promptmodel = build_promptmodel
    script.build_promptmodel_pool = build_promptmodel_pool
    script.create_datasets = create_datasets
    if args.transforms == 'none':
        script.transforms = without_augmentation(script.transforms)

    os.makedirs(out, exist_ok=True)
    os.chdir(out)
    state = {**backbone, **trained}
    torch.save({'state_dict': state}, 'phase1.pth')
    train, test = full_datasets(None, their_test_transforms(script.transforms, geo['img_size']))
    phase1_model = build_promptmodel(num_classes=len(classes), Prompt_Token_num=args.prompt_length, VPT_type='Deep')
    phase1_model.load_state_dict(state)
    phase1 = evaluate(phase1_model, train, test, len(classes))
    with open('phase1_eval.json', 'w') as f:
        json.dump(phase1, f, indent=1)
    print(f"phase-1 state in their model: overall {phase1['overall']:.2f}%")
    their_args = script.parser.parse_args([
        '--dataset', 'mnist_lt', '--data_path', export, '--batch_size', str(args.batch_size),
        '--base_lr', repr(args.lr * 256 / args.batch_size), '--weight_decay', repr(args.weight_decay),
        '--image_size', str(geo['img_size']), '--epochs', str(args.epochs), '--warmup_epochs', '1',
        '--prompt_length', str(args.prompt_length), '--name', f'phase2_seed{args.seed}',
    ])
    with open('driver.json', 'w') as f:
        json.dump({'seed': args.seed, 'export': export, 'geometry': geo, 'share_blocks': share_blocks,
                   'transforms': args.transforms, 'their_args': vars(their_args)}, f, indent=1)
    script.main(their_args)

    final_model = build_promptmodel_pool(num_classes=len(classes), Prompt_Token_num=args.prompt_length, VPT_type='Deep')
    saved = torch.load(os.path.join('save', their_args.name, 'epoch-last.pth'), 'cpu')['state_dict']
    final_model.load_state_dict({k.removeprefix('module.'): v for k, v in saved.items()})  # their DataParallel
    final = evaluate(final_model, train, test, len(classes))
    with open('final_eval.json', 'w') as f:
        json.dump(final, f, indent=1)
    print(f"phase 2 in their code, whole test split: overall {final['overall']:.2f}%")


if __name__ == '__main__':
    main()
