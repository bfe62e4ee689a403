"""timm.models.layers: DropPath, to_2tuple, trunc_normal_ (timm's documented behaviour)."""

import torch
import torch.nn as nn


def to_2tuple(x):
    """An int becomes (x, x); a pair stays as it is."""
    if isinstance(x, (tuple, list)):
        return tuple(x)
    return (x, x)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0):
    """timm's trunc_normal_: a normal(mean, std) truncated to the absolute bounds [a, b] (not a
    multiple of std: at std 0.02 the default bounds cut nothing). torch.nn.init.trunc_normal_ has
    the same signature and semantics."""
    return nn.init.trunc_normal_(tensor, mean=mean, std=std, a=a, b=b)


class DropPath(nn.Module):
    """Stochastic depth per sample: drop the residual branch with probability drop_prob while
    training, scaling kept samples by 1 / (1 - drop_prob)."""

    def __init__(self, drop_prob=0.0):
        super().__init__()
        self.drop_prob = drop_prob

    def forward(self, x):
        if self.drop_prob == 0.0 or not self.training:
            return x
        keep = 1 - self.drop_prob
        mask = x.new_empty((x.shape[0],) + (1,) * (x.ndim - 1)).bernoulli_(keep)
        return x * mask / keep
