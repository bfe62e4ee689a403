"""A stand-in for the few pieces of timm that the LPT authors' phase-2 code imports.

timm is not installable here (no PyPI), so scripts/reference/run_authors_phase2.py puts this folder
first on sys.path. Each piece is written from timm's documented behaviour (timm 0.5/0.6, the
versions the authors' code was written against: `VisionTransformer(img_size, patch_size, ...,
weight_init)` positional arguments and `CosineLRScheduler(..., cycle_decay=...)`), not copied
from timm. Only what the authors' code touches exists; anything else fails loudly.
"""

from . import models, scheduler  # noqa: F401


def create_model(name, pretrained=False, **kwargs):
    raise RuntimeError(
        f"timm shim: create_model({name!r}) is not available; the driver builds the backbone from the lpt export"
    )
