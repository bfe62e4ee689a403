"""timm.scheduler.CosineLRScheduler, as timm documents it for epoch-based stepping.

At construction every group's rate is set to warmup_lr_init (when warmup_t > 0); step(t) sets it to
  t < warmup_t:  warmup_lr_init + t * (base_lr - warmup_lr_init) / warmup_t
  otherwise:     cycle i = t // t_initial (t counted from 0, warmup_prefix=False), and within cycles
                 before cycle_limit lr_min + 0.5 (base_lr cycle_decay^i - lr_min)(1 + cos(pi t_curr / t_initial)),
                 lr_min after them.
Only cycle_mul = 1 (the authors' call) is supported.
"""

import math


class CosineLRScheduler:
    def __init__(
        self,
        optimizer,
        t_initial,
        lr_min=0.0,
        cycle_mul=1.0,
        cycle_decay=1.0,
        cycle_limit=1,
        warmup_t=0,
        warmup_lr_init=0.0,
        warmup_prefix=False,
        t_in_epochs=True,
        initialize=True,
    ):
        if cycle_mul != 1.0:
            raise RuntimeError("timm shim: only cycle_mul = 1 is supported")
        self.optimizer = optimizer
        self.t_initial = t_initial
        self.lr_min = lr_min
        self.cycle_decay = cycle_decay
        self.cycle_limit = cycle_limit
        self.warmup_t = warmup_t
        self.warmup_lr_init = warmup_lr_init
        self.warmup_prefix = warmup_prefix
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_values = [group["initial_lr"] for group in optimizer.param_groups]
        if warmup_t:
            self.warmup_steps = [(v - warmup_lr_init) / warmup_t for v in self.base_values]
            self._set([warmup_lr_init for _ in self.base_values])

    def _get_lr(self, t):
        if t < self.warmup_t:
            return [self.warmup_lr_init + t * s for s in self.warmup_steps]
        if self.warmup_prefix:
            t = t - self.warmup_t
        i = t // self.t_initial
        t_curr = t - self.t_initial * i
        if i >= self.cycle_limit:
            return [self.lr_min for _ in self.base_values]
        gamma = self.cycle_decay**i
        return [
            self.lr_min + 0.5 * (v * gamma - self.lr_min) * (1 + math.cos(math.pi * t_curr / self.t_initial))
            for v in self.base_values
        ]

    def _set(self, values):
        for group, value in zip(self.optimizer.param_groups, values):
            group["lr"] = value

    def step(self, epoch, metric=None):
        self._set(self._get_lr(epoch))

    def step_update(self, num_updates, metric=None):
        pass
