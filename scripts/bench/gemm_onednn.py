#!/usr/bin/python3
"""oneDNN's side of `npm run bench -- gemm`: how close the best GEMM kernel on this machine comes
to its FMA peak, for the square shapes whose target is a share of that peak.

usage: /usr/bin/python3 scripts/bench/gemm_onednn.py <threads> <n> [<n> ...]
Each n is an n x n x n product, run as what oneDNN (inside Debian's python3-torch) computes it
best: a 1x1 convolution of n channels into n over n positions (a 16 x n/16 image; n a multiple of
16), weights and image already in oneDNN's blocked layout, so that no reorder is timed: the
products of its JIT kernels alone. Debian's torch sends torch.mm to OpenBLAS, which the bench
measures already. Prints one JSON line: {"n": GFLOP/s, ...}, each the median of 7 timed batches.
Prints {"error": ...} where torch or its oneDNN is missing.
"""
import json
import sys

from torch_timing import median_seconds, torch_or_exit

if len(sys.argv) < 3 or "--help" in sys.argv:
    print(__doc__)
    sys.exit(0 if "--help" in sys.argv else 2)
torch = torch_or_exit(int(sys.argv[1]))
from torch.utils import mkldnn  # noqa: E402 (after the check that torch is there)

if not torch.backends.mkldnn.is_available():
    print(json.dumps({"error": "torch built without oneDNN"}))
    sys.exit(0)


result = {}
with torch.no_grad():
    for arg in sys.argv[2:]:
        n = int(arg)
        if n <= 0 or n % 16:
            print(json.dumps({"error": f"n must be a positive multiple of 16, got {arg}"}))
            sys.exit(2)
        conv = mkldnn.to_mkldnn(torch.nn.Conv2d(n, n, 1, bias=False).eval())
        x = torch.randn(1, n, 16, n // 16).to_mkldnn()
        result[arg] = 2.0 * n * n * n / median_seconds(lambda: conv(x)) / 1e9
print(json.dumps(result))
