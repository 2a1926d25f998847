"""
P7's PyTorch twin of `scripts/train-recipe.sh`: the same 2-layer LSTM, data
layout and recipe (char-rnn's RMSProp 2e-3, decay 0.95; uniform +-0.08; forget
bias 1; dropout 0; batch 50 contiguous streams x 100 steps, state carried; clip
5), trained in PyTorch so that Cellscope's engine can be checked against an
independent implementation on the question P7 asks: does this recipe grow a
line-length cell? Not part of the build or the tests.

After every epoch it scores the first 60,000 test characters from a zero state
and prints one JSON line:
  testNats60k   loss (nats/char)
  saturated     share of tanh(c) units with |mean| > 0.99 (both layers)
  newline70     mean loss of the newline whose column (characters since the last newline) is >= 70
  column        best |r| of a tanh(c) unit with the column, and which unit (c:LAYER:INDEX)

    /usr/bin/python3 scripts/torch-twin.py --epochs 3 --seed 7 --out runs/twin-s7   # apt-get install python3-torch
    --clip-mode value|norm   char-rnn clamps each gradient element; Cellscope's default is the global norm

    --export FILE.safetensors   the checkpoint's weights for `cellscope import FILE --corpus warpeace`

A checkpoint (runs/.../twin.pt) is written every epoch and every 5 minutes; run
the same command again to continue.
"""
import argparse, json, math, os, sys, time
import torch, torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--corpus", default="warpeace")
ap.add_argument("--hidden", type=int, default=256)
ap.add_argument("--layers", type=int, default=2)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--lr", type=float, default=2e-3)
ap.add_argument("--clip", type=float, default=5)
ap.add_argument("--clip-mode", choices=["norm", "value"], default="norm")
ap.add_argument("--optimizer", choices=["rmsprop", "adam"], default="rmsprop")
ap.add_argument("--out", required=True)
ap.add_argument("--export", metavar="FILE", help="write the checkpoint's weights as FILE.safetensors for `cellscope import`, and stop")
a = ap.parse_args()

torch.set_num_threads(1)
torch.manual_seed(a.seed)
H, L = a.hidden, a.layers
text = open(f"corpora/{a.corpus}.txt", encoding="utf-8").read()
vocab = sorted(set(text)); ix = {c: i for i, c in enumerate(vocab)}; V = len(vocab)
ids = torch.tensor([ix[c] for c in text]); n = len(ids); tr = int(n * 0.9); te = int(n * 0.95)
B, T = 50, 100
stream_len = (tr - 1) // B
per_epoch = stream_len // T

lstm = nn.LSTM(V, H, L); out = nn.Linear(H, V)
for p in list(lstm.parameters()) + list(out.parameters()):
    nn.init.uniform_(p, -0.08, 0.08)
for l in range(L):
    getattr(lstm, f"bias_hh_l{l}").data.zero_()
    b = getattr(lstm, f"bias_ih_l{l}").data
    b.zero_(); b[H:2 * H] = 1  # PyTorch's gate order is i, f, g, o
out.bias.data.zero_()
params = list(lstm.parameters()) + list(out.parameters())
opt = torch.optim.RMSprop(params, lr=a.lr, alpha=0.95, eps=1e-8) if a.optimizer == "rmsprop" else torch.optim.Adam(params, lr=a.lr)

os.makedirs(a.out, exist_ok=True)
ckpt = os.path.join(a.out, "twin.pt")
it = 0; state = None
if os.path.exists(ckpt):
    s = torch.load(ckpt)
    lstm.load_state_dict(s["lstm"]); out.load_state_dict(s["out"]); opt.load_state_dict(s["opt"]); it = s["it"]; state = s["state"]
    torch.set_rng_state(s["rng"])
    print(f"resuming at iteration {it}", file=sys.stderr)


if a.export:
    sys.path.insert(0, os.path.dirname(__file__))
    from importlib import import_module
    write_safetensors = import_module("torch-models").write_safetensors
    sd = {f"rnn.{k}": v for k, v in lstm.state_dict().items()} | {f"decoder.{k}": v for k, v in out.state_dict().items()}
    write_safetensors(a.export, sd, {"vocab": json.dumps(vocab, ensure_ascii=False), "cell": "lstm", "iteration": str(it)})
    print(f"wrote {a.export}: iteration {it} ({it / per_epoch:.2f} epochs)")
    sys.exit(0)


def save():
    torch.save({"lstm": lstm.state_dict(), "out": out.state_dict(), "opt": opt.state_dict(), "it": it, "state": state, "rng": torch.get_rng_state()}, ckpt + ".tmp")
    os.replace(ckpt + ".tmp", ckpt)


@torch.no_grad()
def measure(epoch):
    N = 60000
    seq = ids[te:te + N + 1]
    h = torch.zeros(L, 1, H); c = torch.zeros(L, 1, H)
    tcs = torch.zeros(N, L, H); nll = torch.zeros(N)
    x = nn.functional.one_hot(seq[:-1], V).float()
    cells = [nn.LSTMCell(V if l == 0 else H, H) for l in range(L)]
    for l, cell in enumerate(cells):
        cell.weight_ih.copy_(getattr(lstm, f"weight_ih_l{l}")); cell.weight_hh.copy_(getattr(lstm, f"weight_hh_l{l}"))
        cell.bias_ih.copy_(getattr(lstm, f"bias_ih_l{l}")); cell.bias_hh.copy_(getattr(lstm, f"bias_hh_l{l}"))
    hs = [torch.zeros(1, H) for _ in range(L)]; cs = [torch.zeros(1, H) for _ in range(L)]
    tops = torch.zeros(N, H)
    for t in range(N):
        inp = x[t:t + 1]
        for l, cell in enumerate(cells):
            hs[l], cs[l] = cell(inp, (hs[l], cs[l])); inp = hs[l]
            tcs[t, l] = torch.tanh(cs[l][0])
        tops[t] = inp[0]
    nll = nn.functional.cross_entropy(out(tops), seq[1:], reduction="none")
    # column of each target: characters since the last newline before it
    col = torch.zeros(N); cur = 0
    s = seq.tolist()
    for t in range(N):
        cur = 0 if s[t] == ix["\n"] else cur + 1
        col[t] = cur
    # column seen at input t (the unit's signal): chars since newline up to and including t
    nl = (seq[1:] == ix["\n"]) & (col >= 70)
    flat = tcs.reshape(N, L * H)
    saturated = (flat.mean(0).abs() > 0.99).float().mean().item()
    z = (flat - flat.mean(0)) / (flat.std(0) + 1e-12)
    cz = (col - col.mean()) / col.std()
    r = (z * cz[:, None]).mean(0) * N / (N - 1)
    best = int(r.abs().argmax())
    res = {"epoch": epoch, "iteration": it, "testNats60k": round(nll.mean().item(), 4), "saturated": round(saturated, 3),
           "newline70": round(nll[nl].mean().item(), 3), "newlines70": int(nl.sum()),
           "column": {"unit": f"c:{best // H}:{best % H}", "r": round(r[best].item(), 3)}}
    print(json.dumps(res), flush=True)
    with open(os.path.join(a.out, "measures.jsonl"), "a") as f:
        f.write(json.dumps(res) + "\n")


total = a.epochs * per_epoch
t0 = time.time(); last = t0
while it < total:
    k = it % per_epoch
    if k == 0:
        state = None
    idx = torch.arange(B)[:, None] * stream_len + k * T + torch.arange(T + 1)[None, :]
    chunk = ids[idx].T  # [T+1, B]
    x = nn.functional.one_hot(chunk[:-1], V).float()
    y, state = lstm(x, state); state = tuple(s.detach() for s in state)
    loss = nn.functional.cross_entropy(out(y).reshape(-1, V), chunk[1:].reshape(-1))
    opt.zero_grad(); loss.backward()
    if a.clip_mode == "norm":
        nn.utils.clip_grad_norm_(params, a.clip)
    else:
        for p in params: p.grad.clamp_(-a.clip, a.clip)
    opt.step(); it += 1
    if it % 50 == 0:
        rate = 50 * B * T / (time.time() - last); last = time.time()
        print(f"it {it}/{total} epoch {it / per_epoch:.2f} loss {loss.item():.3f} {rate:.0f} chars/s", file=sys.stderr, flush=True)
    if it % per_epoch == 0:
        save(); measure(it // per_epoch)
    elif time.time() - t0 > 300:
        save(); t0 = time.time()
