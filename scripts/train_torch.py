"""
Train a Cellscope model in PyTorch, on one GPU or several, for when two CPU
cores are not enough. Same architectures, corpora, splits and vocabulary rules
as `cellscope train`, and it writes the file `cellscope import` reads:

  * vocabulary: every distinct character of the corpus, sorted by code point
  * splits: the first 90% trains, the next 5% validates, the last 5% tests
  * batches: B contiguous streams of the training split, T steps at a time,
    the state carried from batch to batch (zeroed at each epoch's start)
  * model: one-hot input -> nn.LSTM | nn.GRU | nn.RNN(tanh) -> nn.Linear
    (state_dict names rnn.*, decoder.*; `cellscope import` maps them exactly)
  * char-rnn's initialization: uniform +-0.08, forget-gate bias 1 (LSTM)

    python3 scripts/train_torch.py --corpus warpeace --cell lstm --layers 3 --hidden 512 --out runs/wp-3x512
    torchrun --nproc_per_node 4 scripts/train_torch.py ...      # DistributedDataParallel: the B streams split over the GPUs
    npx cellscope import runs/wp-3x512/model.safetensors --corpus warpeace --id warpeace-3x512

Every rank reads its own B/world streams, so the global batch and the data
order are the same whatever the number of GPUs. A checkpoint is written every
--checkpoint-every iterations and at each epoch's end (run the same command again to
continue), the best-validation weights to OUT/model.safetensors.
--p7-measures also prints, per epoch, P7's line-length measures on the first
60,000 test characters (saturated tanh(c) units, newline loss at column >= 70,
best column correlation; docs/recipe-study.md).

Debian: apt-get install python3-torch libopenblas0-pthread (on a GPU machine,
PyTorch with CUDA).
"""
import argparse, json, math, os, struct, sys, time
import torch, torch.nn as nn
import torch.distributed as dist

ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("--corpus", required=True, help="a name in corpora/ or a path to a UTF-8 text file")
ap.add_argument("--cell", choices=["lstm", "gru", "rnn"], default="lstm")
ap.add_argument("--layers", type=int, default=2)
ap.add_argument("--hidden", type=int, default=256)
ap.add_argument("--epochs", type=int, default=12)
ap.add_argument("--batch", type=int, default=50)
ap.add_argument("--seq", type=int, default=100)
ap.add_argument("--optimizer", choices=["rmsprop", "adam"], default="rmsprop")
ap.add_argument("--lr", type=float, default=2e-3)
ap.add_argument("--lr-decay", type=float, default=0.8, help="x this per epoch after --decay-after")
ap.add_argument("--decay-after", type=int, default=6)
ap.add_argument("--clip", type=float, default=5, help="global gradient norm")
ap.add_argument("--dropout", type=float, default=0.0)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--out", required=True)
ap.add_argument("--checkpoint-every", type=int, default=200, help="iterations between checkpoints (the same on every rank)")
ap.add_argument("--max-iterations", type=int, default=None)
ap.add_argument("--p7-measures", action="store_true")
ap.add_argument("--export-init", metavar="FILE", help="write the initial weights as FILE (safetensors) and stop")
a = ap.parse_args()

distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
if distributed:
    dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
rank = dist.get_rank() if distributed else 0
world = dist.get_world_size() if distributed else 1
device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if torch.cuda.is_available() else "cpu")
if device.type == "cuda":
    torch.cuda.set_device(device)
else:
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
log = (lambda *m: print(*m, file=sys.stderr, flush=True)) if rank == 0 else (lambda *m: None)
if a.batch % world:
    sys.exit(f"--batch {a.batch} must divide among {world} processes")

path = a.corpus if os.path.exists(a.corpus) else f"corpora/{a.corpus}.txt"
name = os.path.splitext(os.path.basename(path))[0]
raw = open(path, "rb").read()
text = raw.decode("utf-8")
if text.startswith("\ufeff"):
    text = text[1:]
vocab = sorted(set(text))
ix = {c: i for i, c in enumerate(vocab)}
V = len(vocab)
ids = torch.tensor([ix[c] for c in text])
n = len(ids)
train_end, valid_end = math.floor(n * 0.9), math.floor(n * 0.95)
B, T, H, L = a.batch, a.seq, a.hidden, a.layers
stream_len = (train_end - 1) // B
per_epoch = stream_len // T
if per_epoch < 1:
    sys.exit(f"corpus {name} is too short for {B} streams x {T} steps")


class CharModel(nn.Module):
    """What `cellscope import` reads: rnn.* and decoder.*, one-hot input."""

    def __init__(self):
        super().__init__()
        kind = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[a.cell]
        self.rnn = kind(V, H, L, dropout=a.dropout if L > 1 else 0)
        self.decoder = nn.Linear(H, V)

    def forward(self, x, state):  # x [T, B] ids
        y, state = self.rnn(nn.functional.one_hot(x, V).float(), state)
        return self.decoder(y), state


torch.manual_seed(a.seed)
model = CharModel()
with torch.no_grad():
    for p in model.parameters():
        p.uniform_(-0.08, 0.08)
    for l in range(L):
        getattr(model.rnn, f"bias_hh_l{l}").zero_()
        b = getattr(model.rnn, f"bias_ih_l{l}")
        b.zero_()
        if a.cell == "lstm":
            b[H:2 * H] = 1  # PyTorch's gate order is i, f, g, o
    model.decoder.bias.zero_()
model.to(device)


def write_safetensors(file, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for k, t in tensors.items():
        b = t.detach().float().cpu().contiguous().numpy().astype("<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    tmp = file + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(tmp, file)


def export(file, it, valid):
    meta = {"vocab": json.dumps(vocab, ensure_ascii=False), "cell": a.cell, "corpus": name, "iteration": str(it),
            "validNats": "" if valid is None else f"{valid:.6f}", "trainedBy": "scripts/train_torch.py"}
    write_safetensors(file, model.state_dict(), meta)


os.makedirs(a.out, exist_ok=True)
if a.export_init:
    if rank == 0:
        export(a.export_init, 0, None)
        log(f"wrote {a.export_init}: the initial weights (seed {a.seed})")
    sys.exit(0)

net = nn.parallel.DistributedDataParallel(model, device_ids=[device] if device.type == "cuda" else None) if distributed else model
params = list(model.parameters())
opt = torch.optim.RMSprop(params, lr=a.lr, alpha=0.95, eps=1e-8) if a.optimizer == "rmsprop" else torch.optim.Adam(params, lr=a.lr)
ckpt = os.path.join(a.out, "train_torch.pt")
it, state, best = 0, None, None
if os.path.exists(ckpt):
    s = torch.load(ckpt, map_location=device)
    model.load_state_dict(s["model"]); opt.load_state_dict(s["opt"]); it, best = s["it"], s["best"]
    state = s["state"][rank] if s["state"] is not None else None
    log(f"resuming at iteration {it} ({it / per_epoch:.2f} epochs)")

# This rank's streams: B/world of the B, in order.
mine = torch.arange(rank * (B // world), (rank + 1) * (B // world))


def save():
    states = [None] * world
    if distributed:
        dist.all_gather_object(states, state)
    else:
        states = [state]
    if rank == 0:
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "it": it, "best": best,
                    "state": None if state is None else states}, ckpt + ".tmp")
        os.replace(ckpt + ".tmp", ckpt)


@torch.no_grad()
def evaluate(start, end, streams=50):
    """Mean loss on [start, end) in `streams` contiguous streams from zero states (rank 0)."""
    model.eval()
    span = (end - start - 1) // streams
    total, count, st = 0.0, 0, None
    for s0 in range(0, span, 1000):
        k = min(1000, span - s0)
        idx = start + torch.arange(streams)[:, None] * span + s0 + torch.arange(k + 1)[None, :]
        chunk = ids[idx].T.to(device)
        logits, st = model(chunk[:-1], st)
        total += nn.functional.cross_entropy(logits.reshape(-1, V), chunk[1:].reshape(-1), reduction="sum").item()
        count += k * streams
    model.train()
    return total / count


@torch.no_grad()
def p7_measures(epoch):
    """P7's line-length measures on the first 60,000 test characters, one stream from a zero state."""
    N = 60000
    seq = ids[valid_end:valid_end + N + 1]
    x = seq[:-1].to(device)
    tcs, tops = torch.zeros(N, L, H), torch.zeros(N, H)
    cells = [nn.LSTMCell(V if l == 0 else H, H).to(device) for l in range(L)]
    for l, cell in enumerate(cells):
        for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, w).copy_(getattr(model.rnn, f"{w}_l{l}"))
    hs = [torch.zeros(1, H, device=device) for _ in range(L)]
    cs = [torch.zeros(1, H, device=device) for _ in range(L)]
    onehot = nn.functional.one_hot(x, V).float()
    for t in range(N):
        inp = onehot[t:t + 1]
        for l, cell in enumerate(cells):
            hs[l], cs[l] = cell(inp, (hs[l], cs[l]))
            inp = hs[l]
            tcs[t, l] = torch.tanh(cs[l][0]).cpu()
        tops[t] = inp[0].cpu()
    nll = nn.functional.cross_entropy(model.decoder(tops.to(device)).cpu(), seq[1:], reduction="none")
    col = torch.zeros(N)
    cur = 0
    for t, c in enumerate(seq[:-1].tolist()):
        cur = 0 if c == ix["\n"] else cur + 1
        col[t] = cur
    nl = (seq[1:] == ix["\n"]) & (col >= 70)
    flat = tcs.reshape(N, L * H)
    z = (flat - flat.mean(0)) / (flat.std(0) + 1e-12)
    r = (z * ((col - col.mean()) / col.std())[:, None]).mean(0) * N / (N - 1)
    best_unit = int(r.abs().argmax())
    return {"epoch": epoch, "testNats60k": round(nll.mean().item(), 4), "saturated": round((flat.mean(0).abs() > 0.99).float().mean().item(), 3),
            "newline70": round(nll[nl].mean().item(), 3), "column": {"unit": f"c:{best_unit // H}:{best_unit % H}", "r": round(r[best_unit].item(), 3)}}


total = a.epochs * per_epoch if a.max_iterations is None else min(a.epochs * per_epoch, a.max_iterations)
t_rate = time.time()
while it < total:
    k = it % per_epoch
    epoch = it // per_epoch
    if k == 0:
        state = None
    for g in opt.param_groups:
        g["lr"] = a.lr * a.lr_decay ** max(0, epoch + 1 - a.decay_after)  # as lib/train/train.ts
    idx = mine[:, None] * stream_len + k * T + torch.arange(T + 1)[None, :]
    chunk = ids[idx].T.to(device)  # [T+1, B/world]
    logits, state = net(chunk[:-1], state)
    state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
    loss = nn.functional.cross_entropy(logits.reshape(-1, V), chunk[1:].reshape(-1))
    opt.zero_grad()
    loss.backward()  # DDP averages the gradients over the ranks: the mean over all B streams
    nn.utils.clip_grad_norm_(params, a.clip)
    opt.step()
    it += 1
    if it % 50 == 0:
        now = time.time()
        log(f"it {it}/{total} epoch {it / per_epoch:.2f} loss {loss.item():.3f} {50 * B * T / (now - t_rate):.0f} chars/s")
        t_rate = now
    if it % per_epoch == 0 or it == total:
        if rank == 0:
            v = evaluate(train_end, valid_end)
            log(f"iteration {it} (epoch {it / per_epoch:.2f}): validation {v:.4f} nats/char")
            if best is None or v < best:
                best = v
                export(os.path.join(a.out, "model.safetensors"), it, v)
            if a.p7_measures and a.cell == "lstm":
                m = p7_measures(it // per_epoch)
                print(json.dumps(m), flush=True)
                with open(os.path.join(a.out, "measures.jsonl"), "a") as f:
                    f.write(json.dumps(m) + "\n")
        if distributed:
            b = [best]
            dist.broadcast_object_list(b)
            best = b[0]
        save()
    elif it % a.checkpoint_every == 0:
        save()
log(f"done: best validation {best:.4f} nats/char; {a.out}/model.safetensors")
if distributed:
    dist.destroy_process_group()
