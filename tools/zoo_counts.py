"""Re-derives the zoo's parameter counts (and a few state-dict key counts) in plain torch.nn.

torchvision is not installed here, so each architecture is written out as torchvision (or the
paper / Keras applications, where torchvision lacks the model) defines it; the printed numbers are
the ones test/models/zoo.test.ts asserts. Run: /usr/bin/python3 tools/zoo_counts.py
"""
import torch
import torch.nn as nn


def count(m):
    return sum(p.numel() for p in m.parameters())


def conv_bn(cin, cout, k, s=1, p=0, groups=1, eps=1e-5):
    return [nn.Conv2d(cin, cout, k, s, p, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=eps), nn.ReLU()]


def alexnet():
    return nn.Sequential(
        nn.Conv2d(3, 64, 11, 4, 2), nn.Conv2d(64, 192, 5, padding=2), nn.Conv2d(192, 384, 3, padding=1),
        nn.Conv2d(384, 256, 3, padding=1), nn.Conv2d(256, 256, 3, padding=1),
        nn.Linear(9216, 4096), nn.Linear(4096, 4096), nn.Linear(4096, 1000))


def alexnet_two_tower():
    return nn.Sequential(
        nn.Conv2d(3, 96, 11, 4), nn.Conv2d(96, 256, 5, padding=2, groups=2), nn.Conv2d(256, 384, 3, padding=1),
        nn.Conv2d(384, 384, 3, padding=1, groups=2), nn.Conv2d(384, 256, 3, padding=1, groups=2),
        nn.Linear(9216, 4096), nn.Linear(4096, 4096), nn.Linear(4096, 1000))


def zfnet():
    # Zeiler & Fergus 2014, Fig. 3: 96@7x7/2, 256@5x5/2, 384, 384, 256 @3x3, 4096, 4096, classes.
    return nn.Sequential(
        nn.Conv2d(3, 96, 7, 2, 1), nn.Conv2d(96, 256, 5, 2), nn.Conv2d(256, 384, 3, padding=1),
        nn.Conv2d(384, 384, 3, padding=1), nn.Conv2d(384, 256, 3, padding=1),
        nn.Linear(9216, 4096), nn.Linear(4096, 4096), nn.Linear(4096, 1000))


VGG = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}


def vgg(cfg, bn):
    layers, c = [], 3
    for v in VGG[cfg]:
        if v == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1)] + ([nn.BatchNorm2d(v)] if bn else []) + [nn.ReLU()]
            c = v
    m = nn.Module()
    m.features = nn.Sequential(*layers)
    m.classifier = nn.Sequential(nn.Linear(25088, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 1000))
    return m


class Basic(nn.Module):
    expansion = 1

    def __init__(self, i, p, s, down):
        super().__init__()
        self.conv1 = nn.Conv2d(i, p, 3, s, 1, bias=False); self.bn1 = nn.BatchNorm2d(p)
        self.conv2 = nn.Conv2d(p, p, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(p)
        self.downsample = down


class Bottle(nn.Module):
    expansion = 4

    def __init__(self, i, p, s, down):
        super().__init__()
        self.conv1 = nn.Conv2d(i, p, 1, bias=False); self.bn1 = nn.BatchNorm2d(p)
        self.conv2 = nn.Conv2d(p, p, 3, s, 1, bias=False); self.bn2 = nn.BatchNorm2d(p)
        self.conv3 = nn.Conv2d(p, 4 * p, 1, bias=False); self.bn3 = nn.BatchNorm2d(4 * p)
        self.downsample = down


def resnet(block, layers):
    m = nn.Module()
    m.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False); m.bn1 = nn.BatchNorm2d(64)
    inp = 64
    for li, (planes, n) in enumerate(zip([64, 128, 256, 512], layers)):
        stride = 1 if li == 0 else 2
        out = planes * block.expansion
        down = nn.Sequential(nn.Conv2d(inp, out, 1, stride, bias=False), nn.BatchNorm2d(out)) if stride != 1 or inp != out else None
        blocks = [block(inp, planes, stride, down)]
        inp = out
        blocks += [block(inp, planes, 1, None) for _ in range(n - 1)]
        setattr(m, f"layer{li + 1}", nn.Sequential(*blocks))
    m.fc = nn.Linear(512 * block.expansion, 1000)
    return m


def densenet121(growth=32, blocks=(6, 12, 24, 16), init=64, bn_size=4):
    f = nn.Sequential()
    f.add_module("conv0", nn.Conv2d(3, init, 7, 2, 3, bias=False)); f.add_module("norm0", nn.BatchNorm2d(init))
    c = init
    for i, n in enumerate(blocks):
        block = nn.Module()
        for j in range(n):
            layer = nn.Module()
            layer.norm1 = nn.BatchNorm2d(c + j * growth)
            layer.conv1 = nn.Conv2d(c + j * growth, bn_size * growth, 1, bias=False)
            layer.norm2 = nn.BatchNorm2d(bn_size * growth)
            layer.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)
            block.add_module(f"denselayer{j + 1}", layer)
        f.add_module(f"denseblock{i + 1}", block)
        c += n * growth
        if i != len(blocks) - 1:
            t = nn.Module(); t.norm = nn.BatchNorm2d(c); t.conv = nn.Conv2d(c, c // 2, 1, bias=False)
            f.add_module(f"transition{i + 1}", t)
            c //= 2
    f.add_module("norm5", nn.BatchNorm2d(c))
    m = nn.Module(); m.features = f; m.classifier = nn.Linear(c, 1000)
    return m


def basic(i, o, k, **kw):
    m = nn.Module(); m.conv = nn.Conv2d(i, o, k, bias=False, **kw); m.bn = nn.BatchNorm2d(o, eps=0.001)
    return m


def inception(i, c1, c3r, c3, c5r, c5, pp):
    m = nn.Module()
    m.branch1 = basic(i, c1, 1)
    m.branch2 = nn.Sequential(basic(i, c3r, 1), basic(c3r, c3, 3, padding=1))
    m.branch3 = nn.Sequential(basic(i, c5r, 1), basic(c5r, c5, 3, padding=1))  # torchvision's 3x3 here
    m.branch4 = nn.Sequential(nn.MaxPool2d(3, 1, 1), basic(i, pp, 1))
    return m


def googlenet():
    m = nn.Module()
    m.conv1 = basic(3, 64, 7, stride=2, padding=3); m.conv2 = basic(64, 64, 1); m.conv3 = basic(64, 192, 3, padding=1)
    for name, args in [("3a", (192, 64, 96, 128, 16, 32, 32)), ("3b", (256, 128, 128, 192, 32, 96, 64)),
                       ("4a", (480, 192, 96, 208, 16, 48, 64)), ("4b", (512, 160, 112, 224, 24, 64, 64)),
                       ("4c", (512, 128, 128, 256, 24, 64, 64)), ("4d", (512, 112, 144, 288, 32, 64, 64)),
                       ("4e", (528, 256, 160, 320, 32, 128, 128)), ("5a", (832, 256, 160, 320, 32, 128, 128)),
                       ("5b", (832, 384, 192, 384, 48, 128, 128))]:
        setattr(m, "inception" + name, inception(*args))
    m.fc = nn.Linear(1024, 1000)
    return m


def mobilenet_v1():
    # Howard et al. 2017, Table 1; Keras applications MobileNet(alpha=1) counts the same layers.
    layers = conv_bn(3, 32, 3, 2, 1)
    for i, o, s in [(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2)] + [(512, 512, 1)] * 5 + [(512, 1024, 2), (1024, 1024, 1)]:
        layers += conv_bn(i, i, 3, s, 1, groups=i) + conv_bn(i, o, 1)
    return nn.Sequential(*layers, nn.Linear(1024, 1000))


def sep(i, o):
    return [nn.Conv2d(i, i, 3, padding=1, groups=i, bias=False), nn.Conv2d(i, o, 1, bias=False), nn.BatchNorm2d(o)]


def xception():
    # Chollet 2017, Fig. 5, as Keras applications Xception (separable convs without bias, BN after each).
    layers = conv_bn(3, 32, 3, 2) + conv_bn(32, 64, 3)
    for i, o in [(64, 128), (128, 256), (256, 728)]:
        layers += [nn.Conv2d(i, o, 1, 2, bias=False), nn.BatchNorm2d(o)] + sep(i, o) + sep(o, o)
    for _ in range(8):
        layers += sep(728, 728) * 1 + sep(728, 728) + sep(728, 728)
    layers += [nn.Conv2d(728, 1024, 1, 2, bias=False), nn.BatchNorm2d(1024)] + sep(728, 728) + sep(728, 1024)
    layers += sep(1024, 1536) + sep(1536, 2048)
    return nn.Sequential(*layers, nn.Linear(2048, 1000))


if __name__ == "__main__":
    rows = [("alexnet", alexnet()), ("alexnet-two-tower", alexnet_two_tower()), ("zfnet", zfnet())]
    for name, cfg in [("vgg11", "A"), ("vgg13", "B"), ("vgg16", "D"), ("vgg19", "E")]:
        rows += [(name, vgg(cfg, False)), (name + "-bn", vgg(cfg, True))]
    for d, b, l in [(18, Basic, [2, 2, 2, 2]), (34, Basic, [3, 4, 6, 3]), (50, Bottle, [3, 4, 6, 3]), (101, Bottle, [3, 4, 23, 3]), (152, Bottle, [3, 8, 36, 3])]:
        rows.append((f"resnet{d}", resnet(b, l)))
    rows += [("densenet121", densenet121()), ("googlenet", googlenet()), ("mobilenet-v1", mobilenet_v1()), ("xception", xception())]
    for name, m in rows:
        print(f"{name:20s} {count(m):>12,d}  state_dict keys {len(m.state_dict())}")
