"""
A PyTorch twin of `cellscope train` for a 1x128 LSTM, used once to check the
engine against an independent implementation (not part of the build or tests).

Same data and schedule as Cellscope: War and Peace, sorted-character vocabulary,
90/5/5 contiguous splits, batch 50 contiguous streams x 100 steps with the state
carried, Adam 2e-3, global-norm clip 5, char-rnn init (uniform +-0.08, forget
bias 1). Prints the loss on the first 50,000 test characters and how many cells
sit saturated (|mean tanh(c)| > 0.99 over 2,000 test characters).

    /usr/bin/python3 scripts/torch-reference.py charrnn 600   # Debian: apt-get install python3-torch
    node bin/cellscope.js train --corpus warpeace --layers 1 --hidden 128 --dropout 0 --max-iterations 600 --out /tmp/p600
    node bin/cellscope.js eval --model /tmp/p600 --start 0 --chars 50000 --json

Measured 2026-11-27: PyTorch 2.197 nats/char, Cellscope 2.207; 120 of 128 cells
saturated in PyTorch too (121 in Cellscope after 100 iterations), so the many
saturated cells of the shipped models are training dynamics, not an engine bug.
"""
import sys, torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(1)
init = sys.argv[1] if len(sys.argv) > 1 else "charrnn"
iters = int(sys.argv[2]) if len(sys.argv) > 2 else 600
H = 128
text = open("corpora/warpeace.txt", encoding="utf-8").read()
vocab = sorted(set(text)); ix = {c: i for i, c in enumerate(vocab)}; V = len(vocab)
ids = torch.tensor([ix[c] for c in text]); n = len(ids); tr = int(n * 0.9); te = int(n * 0.95)
B, T = 50, 100; stream_len = (tr - 1) // B
lstm = nn.LSTM(V, H, 1); out = nn.Linear(H, V)
if init == "charrnn":
    for p in list(lstm.parameters()) + [out.weight]: nn.init.uniform_(p, -0.08, 0.08)
    lstm.bias_hh_l0.data.zero_(); lstm.bias_ih_l0.data.zero_(); lstm.bias_ih_l0.data[H:2 * H] = 1; out.bias.data.zero_()
params = list(lstm.parameters()) + list(out.parameters())
opt = torch.optim.Adam(params, lr=2e-3)
state = None
for k in range(iters):
    idx = torch.arange(B)[:, None] * stream_len + k * T + torch.arange(T + 1)[None, :]
    chunk = ids[idx].T  # [T+1, B]
    x = nn.functional.one_hot(chunk[:-1], V).float()
    y, state = lstm(x, state); state = tuple(s.detach() for s in state)
    loss = nn.functional.cross_entropy(out(y).reshape(-1, V), chunk[1:].reshape(-1))
    opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(params, 5); opt.step()

with torch.no_grad():
    x = nn.functional.one_hot(ids[te:te + 2000], V).float()[:, None, :]
    h = torch.zeros(1, 1, H); c = torch.zeros(1, 1, H); tcs = []
    for t in range(2000):
        _, (h, c) = lstm(x[t:t + 1], (h, c)); tcs.append(torch.tanh(c[0, 0]))
    saturated = int((torch.stack(tcs).mean(0).abs() > 0.99).sum())
    seq = ids[te:te + 50001]; st = None; tot = 0.0
    for s in range(0, 50000, 1000):
        y, st = lstm(nn.functional.one_hot(seq[s:s + 1000], V).float()[:, None, :], st)
        tot += nn.functional.cross_entropy(out(y[:, 0]), seq[s + 1:s + 1001], reduction="sum").item()
print(f"{init} {iters} iterations: test[0:50000] {tot / 50000:.4f} nats/char, saturated cells {saturated}/{H}")
