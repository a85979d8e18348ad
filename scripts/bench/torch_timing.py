"""What the PyTorch peers of the benches (conv_layers_torch.py, gemm_onednn.py) share: torch set
up the same way, and timing the way scripts/bench/_stats.mjs times tensorgrad."""
import json
import sys
import time


def torch_or_exit(threads):
    """torch on `threads` threads, seeded; prints {"error": ...} and exits when it is missing."""
    try:
        import torch
    except ImportError:
        print(json.dumps({"error": "not installed"}))
        sys.exit(0)
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    return torch


def median_seconds(fn, min_seconds=0.2, repeats=7):
    """Median time of one call over `repeats` timed batches after a warm-up (as scripts/bench/_stats.mjs)."""
    fn()
    inner = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        if (time.perf_counter() - t0) * repeats >= min_seconds or inner >= 1 << 20:
            break
        inner *= 2
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner)
    return sorted(times)[repeats // 2]
