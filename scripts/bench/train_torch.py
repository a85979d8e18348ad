#!/usr/bin/python3
"""PyTorch's side of `npm run bench -- train`: the same recipe, timed the same way.

usage: /usr/bin/python3 scripts/bench/train_torch.py <model> <threads> <train_batches> <batch> <infer_batch>
model: mlp (784-512-10 ReLU, RMSprop lr 1e-3) | nielsen | fashion (the tutorial CNNs) | modern (3x3 convs, batch norm)
Prints one JSON line: training and inference samples/s (median of repeated timed runs).
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

if len(sys.argv) < 6 or "--help" in sys.argv:
    print(__doc__)
    sys.exit(0 if "--help" in sys.argv else 2)

name, threads, train_batches, batch, infer_batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
torch.manual_seed(0)

if name == "mlp":
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    shape = (784,)
elif name == "nielsen":
    model = nn.Sequential(nn.Conv2d(1, 20, 5), nn.MaxPool2d(2), nn.ReLU(), nn.Conv2d(20, 40, 5), nn.MaxPool2d(2), nn.ReLU(),
                          nn.Flatten(),
                          nn.Linear(640, 100), nn.Sigmoid(), nn.Linear(100, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=1e-4)
    shape = (1, 28, 28)
elif name == "fashion":
    model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 12, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(192, 120), nn.ReLU(), nn.Linear(120, 60), nn.ReLU(), nn.Linear(60, 10))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    shape = (1, 28, 28)
elif name == "modern":
    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
    model = nn.Sequential(*block(1, 32), *block(32, 32), nn.MaxPool2d(2), *block(32, 64), *block(64, 64), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Dropout(0.25), nn.Linear(64 * 7 * 7, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    shape = (1, 28, 28)
else:
    sys.exit(f"unknown model {name}")

loss_fn = nn.CrossEntropyLoss()
xs = [torch.rand(batch, *shape) for _ in range(8)]
ys = [torch.randint(0, 10, (batch,)) for _ in range(8)]


def train_run():
    t0 = time.perf_counter()
    for i in range(train_batches):
        opt.zero_grad()
        loss = loss_fn(model(xs[i % 8]), ys[i % 8])
        loss.backward()
        opt.step()
    return train_batches * batch / (time.perf_counter() - t0)


xi = torch.rand(infer_batch, *shape)


def infer_run():
    reps = max(1, 20000 // infer_batch)
    t0 = time.perf_counter()
    with torch.no_grad():
        for _ in range(reps):
            model(xi)
    return reps * infer_batch / (time.perf_counter() - t0)


train_run()
model.train()
training = statistics.median(train_run() for _ in range(5))
model.eval()
infer_run()
inference = statistics.median(infer_run() for _ in range(5))
print(json.dumps({"torch": torch.__version__, "threads": threads, "train": training, "infer": inference}))
