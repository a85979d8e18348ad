#!/usr/bin/python3
"""PyTorch's side of `npm run bench -- conv-layers`: the same layers, timed the same way.

usage: /usr/bin/python3 scripts/bench/conv_layers_torch.py <threads> '<layers as JSON>'
Each layer: {"kind": "conv", "x": [n, c, h, w], "w": [o, c, kh, kw], "stride": s, "padding": p,
"relu": bool} or {"kind": "maxpool", "x": [n, c, h, w], "k": k}. Prints one JSON line: per layer
the median seconds of each pass (conv: forward, input gradient, weight and bias gradients; max
pooling: forward with indices, backward), the calls autograd makes in training.
Prints {"error": "not installed"} when torch cannot be imported.
"""
import json
import sys

from torch_timing import median_seconds, torch_or_exit

if len(sys.argv) != 3 or "--help" in sys.argv:
    print(__doc__)
    sys.exit(0 if "--help" in sys.argv else 2)
torch = torch_or_exit(int(sys.argv[1]))
import torch.nn.functional as F  # noqa: E402 (after the check that torch is there)

aten = torch.ops.aten


def conv(layer):
    x, w = torch.rand(*layer["x"]), torch.rand(*layer["w"]) - 0.5
    b = torch.rand(layer["w"][0])
    s, p = [layer["stride"]] * 2, [layer["padding"]] * 2

    def forward():
        y = F.conv2d(x, w, b, s, p)
        return F.relu(y) if layer["relu"] else y

    dy = torch.rand_like(forward())
    args = (dy, x, w, [w.shape[0]], s, p, [1, 1], False, [0, 0], 1)
    return {
        "forward": median_seconds(forward),
        "input": median_seconds(lambda: aten.convolution_backward(*args, [True, False, False])),
        "weight": median_seconds(lambda: aten.convolution_backward(*args, [False, True, True])),
    }


def maxpool(layer):
    x = torch.rand(*layer["x"])
    k = [layer["k"]] * 2
    y, idx = aten.max_pool2d_with_indices(x, k, k)
    dy = torch.rand_like(y)
    return {
        "forward": median_seconds(lambda: aten.max_pool2d_with_indices(x, k, k)),
        "backward": median_seconds(lambda: aten.max_pool2d_with_indices_backward(dy, x, k, k, [0, 0], [1, 1], False, idx)),
    }


with torch.no_grad():
    results = [conv(l) if l["kind"] == "conv" else maxpool(l) for l in json.loads(sys.argv[2])]
print(json.dumps({"torch": torch.__version__, "results": results}))
