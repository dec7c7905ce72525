#!/usr/bin/env python3
"""PyTorch reference fixtures for Tessera's recurrent layers (test/fixtures/rnn.json).

Usage (from the repository root):  python3 tools/fixtures_rnn.py

Float64 throughout. A case (op "rnnCell" or "rnnSequence") holds:
  args      {"module": "RNNCell"|"LSTMCell"|"GRUCell"|"RNN"|"LSTM"|"GRU", inputSize, hiddenSize,
            bias, and for sequences numLayers, batchFirst, bidirectional, nonlinearity, projSize
            (LSTM proj_size, 0 = none), lengths (list or null: packed with
            pack_padded_sequence(enforce_sorted=False))}
  inputs    x, h0 (and c0 for LSTM), and every parameter by its PyTorch state-dict key
  output    the output (cells: h', sequences: the padded output, zeros at padded steps)
  hN, cN    final states (sequences; cells: cN is the LSTM cell's c')
  gradOutput, gradHN, gradCN   the weights of the loss
            sum(output*gradOutput) + sum(hN*gradHN) + sum(cN*gradCN)
  grads     gradients of that loss for x, h0, c0 and every parameter (by key)
Inputs are quantized to multiples of 0.001; outputs rounded to 12 significant digits.
"""

import os
import sys

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402

mf.GENERATOR = "tools/fixtures_rnn.py"
torch.set_default_dtype(torch.float64)


def finish(name, op, args, module, inputs, output, hN, cN):
    """Backpropagate the weighted sum of the outputs and record everything."""
    g_out = mf.quantize(torch.randn_like(output))
    loss = (output * g_out).sum()
    case = {"name": name, "op": op, "args": args}
    case["output"] = mf.tensor_json(output)
    case["gradOutput"] = mf.tensor_json(g_out)
    if hN is not None:
        g_h = mf.quantize(torch.randn_like(hN))
        loss = loss + (hN * g_h).sum()
        case["hN"] = mf.tensor_json(hN)
        case["gradHN"] = mf.tensor_json(g_h)
    if cN is not None:
        g_c = mf.quantize(torch.randn_like(cN))
        loss = loss + (cN * g_c).sum()
        case["cN"] = mf.tensor_json(cN)
        case["gradCN"] = mf.tensor_json(g_c)
    loss.backward()
    case["inputs"] = {k: mf.tensor_json(v) for k, v in inputs.items()}
    for k, v in module.state_dict().items():
        case["inputs"][k] = mf.tensor_json(v)
    grads = {k: mf.tensor_json(v.grad) for k, v in inputs.items()}
    for k, p in module.named_parameters():
        grads[k] = mf.tensor_json(p.grad)
    case["grads"] = grads
    return case


def quantize_params(module):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(mf.quantize(p * 1.5))


def cell_case(name, cls, input_size, hidden, batch, bias=True, nonlinearity=None):
    mf.seed_for(name)
    kwargs = {"bias": bias}
    if nonlinearity:
        kwargs["nonlinearity"] = nonlinearity
    m = cls(input_size, hidden, **kwargs).double()
    quantize_params(m)
    x = mf.quantize(torch.randn(batch, input_size)).requires_grad_(True)
    h = mf.quantize(torch.randn(batch, hidden) * 0.5).requires_grad_(True)
    inputs = {"x": x, "h0": h}
    cN = None
    if cls is nn.LSTMCell:
        c = mf.quantize(torch.randn(batch, hidden) * 0.5).requires_grad_(True)
        inputs["c0"] = c
        out, cN = m(x, (h, c))
    else:
        out = m(x, h)
    args = {"module": cls.__name__, "inputSize": input_size, "hiddenSize": hidden, "bias": bias}
    if nonlinearity:
        args["nonlinearity"] = nonlinearity
    return finish(name, "rnnCell", args, m, inputs, out, None, cN)


def seq_case(name, cls, layers, bidirectional, batch_first=False, nonlinearity="tanh", lengths=None, bias=True,
             input_size=3, hidden=4, seq=5, batch=3, proj=0):
    mf.seed_for(name)
    kwargs = {"num_layers": layers, "bidirectional": bidirectional, "batch_first": batch_first, "bias": bias}
    if cls is nn.RNN:
        kwargs["nonlinearity"] = nonlinearity
    if proj:
        kwargs["proj_size"] = proj
    m = cls(input_size, hidden, **kwargs).double()
    quantize_params(m)
    D = 2 if bidirectional else 1
    shape = (batch, seq, input_size) if batch_first else (seq, batch, input_size)
    x = mf.quantize(torch.randn(*shape)).requires_grad_(True)
    h0 = mf.quantize(torch.randn(layers * D, batch, proj or hidden) * 0.5).requires_grad_(True)
    inputs = {"x": x, "h0": h0}
    state = h0
    if cls is nn.LSTM:
        c0 = mf.quantize(torch.randn(layers * D, batch, hidden) * 0.5).requires_grad_(True)
        inputs["c0"] = c0
        state = (h0, c0)
    if lengths is not None:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
        out_p, st = m(packed, state)
        out, _ = pad_packed_sequence(out_p, batch_first=batch_first, total_length=seq)
    else:
        out, st = m(x, state)
    hN, cN = (st if cls is nn.LSTM else (st, None))
    args = {"module": cls.__name__, "inputSize": input_size, "hiddenSize": hidden, "bias": bias, "numLayers": layers,
            "batchFirst": batch_first, "bidirectional": bidirectional, "nonlinearity": nonlinearity, "lengths": lengths,
            "projSize": proj}
    return finish(name, "rnnSequence", args, m, inputs, out, hN, cN)


def main():
    cases = [
        cell_case("RNNCell tanh", nn.RNNCell, 3, 4, 2),
        cell_case("RNNCell relu", nn.RNNCell, 3, 4, 3, nonlinearity="relu"),
        cell_case("RNNCell no bias", nn.RNNCell, 5, 2, 2, bias=False),
        cell_case("LSTMCell", nn.LSTMCell, 3, 4, 2),
        cell_case("LSTMCell no bias", nn.LSTMCell, 2, 3, 3, bias=False),
        cell_case("GRUCell", nn.GRUCell, 3, 4, 2),
        cell_case("GRUCell no bias", nn.GRUCell, 5, 3, 1, bias=False),
    ]
    for cls, tag in ((nn.RNN, "RNN"), (nn.LSTM, "LSTM"), (nn.GRU, "GRU")):
        for layers in (1, 2):
            for bi in (False, True):
                cases.append(seq_case(f"{tag} layers={layers} bi={bi}", cls, layers, bi, seq=4 + layers % 2, batch=2 + layers % 2))
        cases.append(seq_case(f"{tag} batchFirst bi", cls, 2, True, batch_first=True))
        cases.append(seq_case(f"{tag} no bias", cls, 1, False, bias=False, seq=4, batch=2))
        cases.append(seq_case(f"{tag} lengths uni", cls, 1, False, lengths=[5, 2, 4]))
        cases.append(seq_case(f"{tag} lengths bi 2 layers", cls, 2, True, lengths=[3, 5, 1]))
        cases.append(seq_case(f"{tag} lengths batchFirst bi", cls, 1, True, batch_first=True, lengths=[2, 4, 5]))
    cases.append(seq_case("LSTM projSize uni", nn.LSTM, 1, False, proj=2))
    cases.append(seq_case("LSTM projSize 2 layers bi", nn.LSTM, 2, True, proj=3))
    cases.append(seq_case("LSTM projSize lengths batchFirst bi", nn.LSTM, 2, True, batch_first=True, proj=1, lengths=[4, 1, 5]))
    cases.append(seq_case("RNN relu layers=2 bi", nn.RNN, 2, True, nonlinearity="relu"))
    cases.append(seq_case("RNN relu lengths", nn.RNN, 1, True, nonlinearity="relu", lengths=[4, 5, 2]))
    mf.write_fixture("rnn.json", cases)
    print(f"rnn.json: {len(cases)} cases")


if __name__ == "__main__":
    main()
