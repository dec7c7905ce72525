"""PyTorch on the benchmark's workloads; prints one JSON object. Run by bench/run.ts when
`python3 -c "import torch"` works. Threads: torch.set_num_threads(N) with N from argv."""
import json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

budget = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
torch.manual_seed(0)


def measure(step, units, warmup=3):
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < budget:
        step()
        n += 1
    seconds = time.perf_counter() - start
    return {"perSecond": n * units / seconds, "iterations": n, "seconds": seconds}


lenet = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
opt = torch.optim.SGD(lenet.parameters(), lr=0.01, momentum=0.9)
x64, y64 = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))


def lenet_step():
    opt.zero_grad()
    F.cross_entropy(lenet(x64), y64).backward()
    opt.step()


x1000 = torch.randn(1000, 1, 28, 28)


def lenet_infer():
    with torch.no_grad():
        lenet(x1000).argmax(1)


mlp = nn.Sequential(nn.Linear(784, 30), nn.Sigmoid(), nn.Linear(30, 10), nn.Sigmoid())
sgd = torch.optim.SGD(mlp.parameters(), lr=3.0)
x10, y10 = torch.rand(10, 784), F.one_hot(torch.randint(0, 10, (10,)), 10).float()


def mlp_step():
    sgd.zero_grad()
    (0.5 * ((mlp(x10) - y10) ** 2).sum() / 10).backward()
    sgd.step()


a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)


def conv_step(x, conv):
    """Forward and backward of one convolution layer (input gradient only when x needs it)."""
    def step():
        conv.zero_grad()
        conv(x).sum().backward()
    return step


# AlexNet's conv1 (a first layer: no input gradient) and a ResNet-style 3x3 64->64 at 56x56.
alex_x = torch.randn(8, 3, 227, 227)
alex_conv1 = nn.Conv2d(3, 96, 11, stride=4)
res_x = torch.randn(8, 64, 56, 56, requires_grad=True)
res_conv = nn.Conv2d(64, 64, 3, padding=1)

print(json.dumps({
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
    "blas": "openblas" if "openblas" in torch.__config__.show().lower() else "as installed",
    "lenetTrain64": measure(lenet_step, 64),
    "lenetInfer1000": measure(lenet_infer, 1000),
    "mlpTrain10": measure(mlp_step, 10),
    "matmul1024": measure(lambda: a @ b, 2 * 1024 ** 3, warmup=1),
    "alexnetConv1": measure(conv_step(alex_x, alex_conv1), 8, warmup=1),
    "conv3x3x64": measure(conv_step(res_x, res_conv), 8, warmup=1),
}))
