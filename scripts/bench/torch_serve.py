"""What both PyTorch peers of `npm run bench` share: the benchmark's configurations (bench/config.ts),
the timing protocol, the memory probe, the machine's sgemm, and the serving loop.

A peer script builds its own model and defines make_steps(batch, config, device) -> {"1", "2",
"infer"}: step functions that run one complete step each (on a GPU, serve waits for its work). serve(make_steps, name) then reads
requests as JSON lines on stdin (--serve) or times --phases x --batches once:
  {"phase", "batch", "warmup", "steps"}  -> {"impl": "torch", "phase", "batch", "img_per_s",
                                              "seconds_per_step", "cpu_seconds_per_step", "steps", "threads",
                                              "peer"}
  {"phase", "batch", "memory": true}     -> {"peak_bytes"}: one untimed step, then the peak resident
      set of one step over the resident set before it (CPU; /proc/self/clear_refs resets the peak,
      and malloc_trim first returns the memory freed so far, so the step's own allocations count)
  {"sgemm": true}                        -> {"gflops", "shape", "corename"}: the best of several
      float32 products [M, K] x [K, N] through torch.mm on this process's threads and BLAS
The caller (bench/torch_peer.ts) sets the allocator, OMP_WAIT_POLICY and OPENBLAS_CORETYPE.
"""
import argparse
import ctypes
import gc
import json
import re
import sys
import time

import torch

CONFIGS = {
    "small": dict(image=28, patch=4, channels=1, dim=192, depth=6, heads=3, pool_layers=(3, 4, 5)),
    "vitb16": dict(image=224, patch=16, channels=3, dim=768, depth=12, heads=12, pool_layers=(6, 7, 8, 9, 10, 11)),
}
CLASSES, PROMPT_LEN, POOL_SIZE, TOP_K, SCALE = 10, 10, 20, 2, 20.0
# A ViT-B/16 MLP product at batch 8 (1576 tokens): large enough for the BLAS's best kernels.
SGEMM_SHAPE = (1576, 768, 3072)


def measure(steps, phase, warmup, count):
    """Wall and CPU seconds (all of this process's threads) per step."""
    step = steps[phase]
    for _ in range(warmup):
        step()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        step()
    return (time.perf_counter() - start) / count, (time.process_time() - cpu) / count


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


def blas_corename():
    """The core type of the OpenBLAS torch calls (Debian's libblas.so.3 is OpenBLAS), or None."""
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            f = ctypes.CDLL(name).openblas_get_corename
        except (OSError, AttributeError):
            continue
        f.restype = ctypes.c_char_p
        return f().decode()
    return None


def sgemm_gflops(repeats=5, count=4):
    m, k, n = SGEMM_SHAPE
    a, b = torch.randn(m, k), torch.randn(k, n)
    out = torch.empty(m, n)
    torch.mm(a, b, out=out)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(count):
            torch.mm(a, b, out=out)
        best = min(best, (time.perf_counter() - start) / count)
    return {"gflops": 2 * m * k * n / best / 1e9, "shape": [m, k, n], "corename": blas_corename()}


def serve(make_steps, peer):
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

    def finished(step):
        """The step, waiting for a GPU to finish its work before it returns."""
        def run():
            step()
            if device.type == "cuda":
                torch.cuda.synchronize()
        return run

    def steps_for(batch, config):
        if (batch, config) not in built:
            torch.manual_seed(0)
            steps = make_steps(batch, CONFIGS[config], device)
            built[(batch, config)] = {phase: finished(step) for phase, step in steps.items()}
        return built[(batch, config)]

    def report(phase, batch, timing, count):
        seconds, cpu = timing
        print(json.dumps({"impl": "torch", "peer": peer, "phase": phase, "batch": batch, "img_per_s": batch / seconds,
                          "seconds_per_step": seconds, "cpu_seconds_per_step": cpu, "steps": count,
                          "threads": args.threads}), flush=True)

    if not args.serve:
        for batch in (int(b) for b in args.batches.split(",")):
            for phase in args.phases.split(","):
                report(phase, batch, measure(steps_for(batch, args.config), phase, args.warmup, args.steps), args.steps)
        return
    print(json.dumps({"ready": True, "torch": torch.__version__, "peer": peer, "corename": blas_corename()}),
          flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        if r.get("sgemm"):
            print(json.dumps(sgemm_gflops()), flush=True)
            continue
        steps = steps_for(r["batch"], r.get("config", args.config))
        if r.get("memory"):
            print(json.dumps({"peak_bytes": step_peak_bytes(steps, r["phase"])}), flush=True)
            continue
        report(r["phase"], r["batch"], measure(steps, r["phase"], r["warmup"], r["steps"]), r["steps"])
