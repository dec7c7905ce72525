#!/usr/bin/env python3
"""PyTorch reference fixtures for Tessera's image transforms (test/fixtures/aug.json).

Usage (from the repository root):

    python3 tools/fixtures_aug.py

torchvision is not needed (nor installed here): its tensor F.affine / F.rotate are an inverse
affine matrix turned into a sampling grid for F.grid_sample(mode="bilinear",
padding_mode="zeros", align_corners=False), and that is what this script does, in float64:

- the matrix is built independently of Tessera's code: the forward map
  T · R(angle) · scale · SHy(shear_y) · SHx(shear_x) · D(stretch) on centred pixel coordinates,
  inverted with torch.linalg.inv; for stretch = 1 it is checked against torchvision's closed form
  (_get_inverse_affine_matrix, transcribed below) before any case is written;
- F.grid_sample does the bilinear interpolation and the zero fill.

Cases (op): "affine" (args angle, translate, scale, shear [x, y], stretch: torchvision's F.affine,
positive angle clockwise on screen), "rotate" (args angle: F.rotate, counter-clockwise), "elastic"
(inputs dx, dy: out(y, x) = in(y + dy, x + dx)), "affineElastic" (affine args and dx, dy:
out(p) = in(M · (p + d(p)))). Odd and even sizes, 1 and 3 channels, quarter turns, points that
fall outside the image. Same format as tools/make_fixtures.py (whose helpers this reuses).
"""

import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402

mf.GENERATOR = "tools/fixtures_aug.py"
torch.set_default_dtype(torch.float64)


def torchvision_inverse(angle, translate, scale, shear):
    """torchvision.transforms.functional._get_inverse_affine_matrix with center (0, 0)."""
    rot = math.radians(angle)
    sx, sy = math.radians(shear[0]), math.radians(shear[1])
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [d / scale, -b / scale, 0.0, -c / scale, a / scale, 0.0]
    m[2] += m[0] * (-tx) + m[1] * (-ty)
    m[5] += m[3] * (-tx) + m[4] * (-ty)
    return m


def inverse_centred(angle=0.0, translate=(0.0, 0.0), scale=1.0, shear=(0.0, 0.0), stretch=1.0):
    """The inverse map on centred coordinates, as a 2x3 list, from the forward matrix product."""
    r = math.radians(angle)
    tx_, ty_ = math.tan(math.radians(shear[0])), math.tan(math.radians(shear[1]))
    R = torch.tensor([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    S = torch.diag(torch.tensor([scale, scale, 1.0]))
    SHx = torch.tensor([[1, -tx_, 0], [0, 1, 0], [0, 0, 1]])
    SHy = torch.tensor([[1, 0, 0], [-ty_, 1, 0], [0, 0, 1]])
    D = torch.diag(torch.tensor([stretch, 1 / stretch, 1.0]))
    T = torch.tensor([[1, 0, translate[0]], [0, 1, translate[1]], [0, 0, 1.0]])
    inv = torch.linalg.inv(T @ R @ S @ SHy @ SHx @ D)
    return inv[:2].reshape(-1).tolist()


def check_against_torchvision():
    for angle, translate, scale, shear in [(30, (1, -2), 1.2, (10, -5)), (-90, (0, 0), 1, (0, 0)), (7.5, (0.5, 3), 0.7, (0, 20))]:
        ours = inverse_centred(angle, translate, scale, shear)
        theirs = torchvision_inverse(angle, translate, scale, shear)
        assert max(abs(p - q) for p, q in zip(ours, theirs)) < 1e-12, (ours, theirs)


def sample(x, src_x, src_y):
    """Bilinear sampling of x [N, C, H, W] at source pixel coordinates [oH, oW] (zero fill)."""
    n, _, h, w = x.shape
    gx = (2 * src_x + 1) / w - 1
    gy = (2 * src_y + 1) / h - 1
    grid = torch.stack([gx, gy], dim=-1).expand(n, *gx.shape, 2)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def warp(x, inv, dx=None, dy=None):
    """out(p) = x(c + inv · (p + d(p) − c)), inv a centred 2x3 map."""
    h, w = x.shape[-2:]
    cx, cy = (w - 1) / 2, (h - 1) / 2
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float64), torch.arange(w, dtype=torch.float64), indexing="ij")
    if dx is not None:
        xs, ys = xs + dx, ys + dy
    qx, qy = xs - cx, ys - cy
    src_x = inv[0] * qx + inv[1] * qy + inv[2] + cx
    src_y = inv[3] * qx + inv[4] * qy + inv[5] + cy
    return sample(x, src_x, src_y)


def affine_args(angle=0.0, translate=(0.0, 0.0), scale=1.0, shear=(0.0, 0.0), stretch=1.0):
    return {"angle": angle, "translate": list(translate), "scale": scale, "shear": list(shear), "stretch": stretch}


def cases():
    out = []
    # name, shape [N, C, H, W], affine args
    affine_specs = [
        ("affine_rot30_5x7", (1, 1, 5, 7), affine_args(angle=30)),
        ("affine_rot_neg12_6x6_c3", (2, 3, 6, 6), affine_args(angle=-12.5)),
        ("affine_rot90_4x4", (1, 1, 4, 4), affine_args(angle=90)),
        ("affine_rot180_3x5", (1, 2, 3, 5), affine_args(angle=180)),
        ("affine_translate_frac", (1, 1, 6, 5), affine_args(translate=(1.25, -0.5))),
        ("affine_translate_out", (1, 1, 4, 4), affine_args(translate=(3.5, 2))),
        ("affine_scale_up", (1, 1, 7, 7), affine_args(scale=1.3)),
        ("affine_scale_down", (1, 2, 6, 8), affine_args(scale=0.6)),
        ("affine_shear_x", (1, 1, 7, 6), affine_args(shear=(15, 0))),
        ("affine_shear_xy", (1, 1, 6, 7), affine_args(shear=(-10, 20))),
        ("affine_stretch", (1, 1, 7, 9), affine_args(stretch=1.3)),
        ("affine_all", (2, 1, 9, 8), affine_args(angle=17, translate=(-1.5, 0.75), scale=0.9, shear=(8, -4), stretch=0.85)),
        ("affine_mnist_like_28", (1, 1, 28, 28), affine_args(angle=-8, translate=(2, -1), scale=1.07)),
    ]
    for name, shape, args in affine_specs:
        mf.seed_for(name)
        inv = inverse_centred(args["angle"], args["translate"], args["scale"], args["shear"], args["stretch"])
        out.append(mf.record(name, "affine", lambda x, inv=inv: warp(x, inv), {"x": torch.rand(shape)}, args, grad_inputs=[]))
    # F.rotate(img, angle) == F.affine(img, -angle): counter-clockwise.
    for name, shape, angle in [("rotate_90_3x3", (1, 1, 3, 3), 90), ("rotate_45_5x5", (1, 1, 5, 5), 45), ("rotate_neg70_6x4_c2", (1, 2, 6, 4), -70)]:
        mf.seed_for(name)
        inv = inverse_centred(angle=-angle)
        out.append(mf.record(name, "rotate", lambda x, inv=inv: warp(x, inv), {"x": torch.rand(shape)}, {"angle": angle}, grad_inputs=[]))
    identity = inverse_centred()
    for name, shape, amplitude in [("elastic_5x6", (1, 1, 5, 6), 1.5), ("elastic_8x8_c2", (1, 2, 8, 8), 3.0)]:
        mf.seed_for(name)
        h, w = shape[-2:]
        inputs = {"x": torch.rand(shape), "dx": (torch.rand(h, w) * 2 - 1) * amplitude, "dy": (torch.rand(h, w) * 2 - 1) * amplitude}
        out.append(mf.record(name, "elastic", lambda x, dx, dy: warp(x, identity, dx, dy), inputs, {}, grad_inputs=[]))
    for name, shape, args in [("affine_elastic_7x7", (1, 1, 7, 7), affine_args(angle=20, scale=1.1, translate=(0.5, -1)))]:
        mf.seed_for(name)
        h, w = shape[-2:]
        inv = inverse_centred(args["angle"], args["translate"], args["scale"], args["shear"], args["stretch"])
        inputs = {"x": torch.rand(shape), "dx": (torch.rand(h, w) * 2 - 1) * 1.5, "dy": (torch.rand(h, w) * 2 - 1) * 1.5}
        out.append(mf.record(name, "affineElastic", lambda x, dx, dy, inv=inv: warp(x, inv, dx, dy), inputs, args, grad_inputs=[]))
    return out


if __name__ == "__main__":
    check_against_torchvision()
    mf.write_fixture("aug.json", cases())
