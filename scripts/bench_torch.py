#!/usr/bin/env python3
"""PyTorch on this CPU, the same training step `cellscope bench train` times
(bench/train.ts runs this in the same run and reports vsTorch): a char model of
CELL (nn.LSTM, nn.GRU or nn.RNN) reading one-hot characters of War and Peace,
LAYERS x HIDDEN, a linear decoder, batch B streams x SEQ steps with the state
carried, Adam, clip 5 by global norm. Prints one JSON line: chars/s over the
iterations after the warm-up.

Threads: OPENBLAS_NUM_THREADS must be set before torch loads, so the caller
sets it (bench/train.ts: 1 for one core, the cores for all); torch's own
intra-op threads stay at 1 (more threads than cores oversubscribe:
../shared/NOTES.md). Needs Debian's python3-torch and libopenblas0-pthread."""
import argparse, json, os, time

ap = argparse.ArgumentParser()
ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "corpora", "warpeace.txt"))
ap.add_argument("--cell", choices=["lstm", "gru", "rnn"], default="lstm")
ap.add_argument("--layers", type=int, default=2)
ap.add_argument("--hidden", type=int, default=256)
ap.add_argument("--batch", type=int, default=50)
ap.add_argument("--seq", type=int, default=100)
ap.add_argument("--iterations", type=int, default=20)
ap.add_argument("--warmup", type=int, default=3)
a = ap.parse_args()

import torch

torch.set_num_threads(1)
torch.manual_seed(1)
text = open(a.corpus, encoding="utf-8").read()
vocab = sorted(set(text))
V = len(vocab)
index = {c: i for i, c in enumerate(vocab)}
ids = torch.tensor([index[c] for c in text[: a.batch * (a.seq * (a.warmup + a.iterations) + 1) + 1]], dtype=torch.long)
Rnn = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[a.cell]
rnn = Rnn(V, a.hidden, a.layers)
dec = torch.nn.Linear(a.hidden, V)
params = list(rnn.parameters()) + list(dec.parameters())
opt = torch.optim.Adam(params, lr=2e-3)
stream = ids[: a.batch * (len(ids) // a.batch)].view(a.batch, -1).t()  # [steps, B]
state = None
measured = 0.0
for it in range(a.warmup + a.iterations):
    x = stream[it * a.seq : (it + 1) * a.seq]
    y = stream[it * a.seq + 1 : (it + 1) * a.seq + 1]
    t0 = time.perf_counter()
    onehot = torch.nn.functional.one_hot(x, V).float()
    out, state = rnn(onehot, state)
    state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
    loss = torch.nn.functional.cross_entropy(dec(out).view(-1, V), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 5)
    opt.step()
    if it >= a.warmup:
        measured += time.perf_counter() - t0
print(json.dumps({"charsPerSec": round(a.iterations * a.batch * a.seq / measured), "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS"), "torch": torch.__version__, "loss": round(loss.item(), 4)}))
