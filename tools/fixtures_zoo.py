"""Fixtures for the zoo's building blocks (test/fixtures/zoo.json): eval-mode outputs of small
ResNet basic/bottleneck blocks, an Inception module, Xception blocks and a tiny DenseNet, written
in plain torch.nn with torchvision's module names, so the test loads the very same state dict by
key and compares outputs. Float64; BatchNorm statistics randomised so eval mode is not an identity.
Run: /usr/bin/python3 tools/fixtures_zoo.py
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import tensor_json, write_fixture, seed_for  # noqa: E402

torch.set_default_dtype(torch.float64)


class BasicBlock(nn.Module):
    def __init__(self, i, p, s):
        super().__init__()
        self.conv1 = nn.Conv2d(i, p, 3, s, 1, bias=False); self.bn1 = nn.BatchNorm2d(p)
        self.conv2 = nn.Conv2d(p, p, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(p)
        self.downsample = nn.Sequential(nn.Conv2d(i, p, 1, s, bias=False), nn.BatchNorm2d(p)) if s != 1 or i != p else None

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (self.downsample(x) if self.downsample is not None else x))


class Bottleneck(nn.Module):
    def __init__(self, i, p, s):
        super().__init__()
        self.conv1 = nn.Conv2d(i, p, 1, bias=False); self.bn1 = nn.BatchNorm2d(p)
        self.conv2 = nn.Conv2d(p, p, 3, s, 1, bias=False); self.bn2 = nn.BatchNorm2d(p)
        self.conv3 = nn.Conv2d(p, 4 * p, 1, bias=False); self.bn3 = nn.BatchNorm2d(4 * p)
        self.downsample = nn.Sequential(nn.Conv2d(i, 4 * p, 1, s, bias=False), nn.BatchNorm2d(4 * p)) if s != 1 or i != 4 * p else None

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return F.relu(out + (self.downsample(x) if self.downsample is not None else x))


class BasicConv2d(nn.Module):
    def __init__(self, i, o, k, **kw):
        super().__init__()
        self.conv = nn.Conv2d(i, o, k, bias=False, **kw); self.bn = nn.BatchNorm2d(o, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class Inception(nn.Module):
    def __init__(self, i, c1, c3r, c3, c5r, c5, pp):
        super().__init__()
        self.branch1 = BasicConv2d(i, c1, 1)
        self.branch2 = nn.Sequential(BasicConv2d(i, c3r, 1), BasicConv2d(c3r, c3, 3, padding=1))
        self.branch3 = nn.Sequential(BasicConv2d(i, c5r, 1), BasicConv2d(c5r, c5, 3, padding=1))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, 1, 1, ceil_mode=True), BasicConv2d(i, pp, 1))

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class Sep(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.depthwise = nn.Conv2d(i, i, 3, padding=1, groups=i, bias=False)
        self.pointwise = nn.Conv2d(i, o, 1, bias=False)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


class XceptionBlock(nn.Module):
    def __init__(self, i, o, reps, stride, start_with_relu, grow_first):
        super().__init__()
        down = o != i or stride != 1
        self.skip = nn.Conv2d(i, o, 1, stride, bias=False) if down else None
        self.skipbn = nn.BatchNorm2d(o) if down else None
        layers = []
        for r in range(reps):
            widen = r == 0 if grow_first else r == reps - 1
            ci = i if widen else (o if grow_first else i)
            co = o if widen else ci
            if r > 0 or start_with_relu:
                layers.append(nn.ReLU())
            layers += [Sep(ci, co), nn.BatchNorm2d(co)]
        if stride != 1:
            layers.append(nn.MaxPool2d(3, stride, 1))
        self.rep = nn.Sequential(*layers)

    def forward(self, x):
        return self.rep(x) + (self.skipbn(self.skip(x)) if self.skip is not None else x)


class DenseLayer(nn.Module):
    def __init__(self, c, growth, bn_size):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(c); self.relu1 = nn.ReLU()
        self.conv1 = nn.Conv2d(c, bn_size * growth, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth); self.relu2 = nn.ReLU()
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)

    def forward(self, x):
        return self.conv2(self.relu2(self.norm2(self.conv1(self.relu1(self.norm1(x))))))


class DenseBlock(nn.ModuleDict):
    def __init__(self, n, c, growth, bn_size):
        super().__init__()
        for j in range(n):
            self.add_module(f"denselayer{j + 1}", DenseLayer(c + j * growth, growth, bn_size))

    def forward(self, x):
        feats = [x]
        for layer in self.values():
            feats.append(layer(torch.cat(feats, 1)))
        return torch.cat(feats, 1)


class DenseNet(nn.Module):
    def __init__(self, growth, blocks, init, bn_size, classes, in_ch):
        super().__init__()
        f = nn.Sequential()
        f.add_module("conv0", nn.Conv2d(in_ch, init, 7, 2, 3, bias=False)); f.add_module("norm0", nn.BatchNorm2d(init))
        f.add_module("relu0", nn.ReLU()); f.add_module("pool0", nn.MaxPool2d(3, 2, 1))
        c = init
        for i, n in enumerate(blocks):
            f.add_module(f"denseblock{i + 1}", DenseBlock(n, c, growth, bn_size))
            c += n * growth
            if i != len(blocks) - 1:
                t = nn.Sequential()
                t.add_module("norm", nn.BatchNorm2d(c)); t.add_module("relu", nn.ReLU())
                t.add_module("conv", nn.Conv2d(c, c // 2, 1, bias=False)); t.add_module("pool", nn.AvgPool2d(2, 2))
                f.add_module(f"transition{i + 1}", t)
                c //= 2
        f.add_module("norm5", nn.BatchNorm2d(c))
        self.features = f
        self.classifier = nn.Linear(c, classes)

    def forward(self, x):
        y = F.adaptive_avg_pool2d(F.relu(self.features(x)), (1, 1))
        return self.classifier(torch.flatten(y, 1))


def randomise(m):
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.uniform_(0.5, 1.5); mod.bias.uniform_(-0.5, 0.5)
                mod.running_mean.uniform_(-0.5, 0.5); mod.running_var.uniform_(0.5, 2.0)
                mod.num_batches_tracked.fill_(3)
    return m.eval()


def case(name, kind, args, make, input_shape):
    seed_for(name)
    m = randomise(make())
    x = torch.randn(*input_shape)
    with torch.no_grad():
        y = m(x)
    state = {k: tensor_json(v) for k, v in m.state_dict().items() if not k.endswith("num_batches_tracked")}
    return {"name": name, "kind": kind, "args": args, "state": state, "input": tensor_json(x), "output": tensor_json(y)}


def main():
    cases = [
        case("basic_stride2_downsample", "BasicBlock", [4, 6, 2], lambda: BasicBlock(4, 6, 2), (2, 4, 7, 7)),
        case("basic_identity", "BasicBlock", [5, 5, 1], lambda: BasicBlock(5, 5, 1), (1, 5, 6, 5)),
        case("bottleneck_stride2", "Bottleneck", [6, 3, 2], lambda: Bottleneck(6, 3, 2), (2, 6, 8, 9)),
        case("bottleneck_identity", "Bottleneck", [8, 2, 1], lambda: Bottleneck(8, 2, 1), (1, 8, 5, 5)),
        case("inception_small", "Inception", [6, 2, 3, 4, 2, 3, 2], lambda: Inception(6, 2, 3, 4, 2, 3, 2), (2, 6, 7, 6)),
        case("xception_entry", "XceptionBlock", [4, 6, 2, 2, False, True], lambda: XceptionBlock(4, 6, 2, 2, False, True), (2, 4, 9, 8)),
        case("xception_middle", "XceptionBlock", [6, 6, 3, 1, True, True], lambda: XceptionBlock(6, 6, 3, 1, True, True), (1, 6, 5, 5)),
        case("xception_exit", "XceptionBlock", [4, 8, 2, 2, True, False], lambda: XceptionBlock(4, 8, 2, 2, True, False), (1, 4, 8, 8)),
        case("densenet_tiny", "DenseNet", {"growthRate": 4, "blockConfig": [2, 3], "numInitFeatures": 8, "bnSize": 2, "numClasses": 5, "inChannels": 2},
             lambda: DenseNet(4, [2, 3], 8, 2, 5, 2), (2, 2, 16, 16)),
    ]
    write_fixture("zoo.json", cases)


if __name__ == "__main__":
    main()
