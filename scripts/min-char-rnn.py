#!/usr/bin/env python3
"""
min-char-rnn's recipe in numpy, written again from its description, as an
independent check of Cellscope's vanilla RNN (lib/model/rnn.ts) trained with
the same recipe. It shares no code with Cellscope: it reads a weights file
(`cellscope train --export-init`, lib/model/weights-json.ts) and a text file,
and prints the loss of every iteration as JSON.

The recipe (Karpathy's min-char-rnn.py, 2015):
  h_t = tanh(Wxh·x_t + Whh·h_{t−1} + bh)    x_t one-hot, hidden 100
  y_t = Why·h_t + by,  p_t = softmax(y_t)
  loss = −Σ_t log p_t[target_t]              summed over the 25 steps of a sequence
  gradients by backpropagation through the 25 steps, summed over them,
  each element clipped to [−5, 5], then Adagrad:
    mem += g²;  w −= 0.1 · g / √(mem + 1e−8)
  The data pointer p moves 25 characters per iteration; hprev, the last h,
  is carried into the next sequence; when p + 25 + 1 > len(data) the next
  sequence starts again at p = 0 with hprev zero. (The original tests
  p + 25 + 1 >= len(data), which also drops the last sequence when
  len(data) − 1 is a multiple of 25; `>` keeps every sequence that fits, as
  Cellscope's epochs do. For the fixture's data they agree.)
  Differences that change nothing checked here: the vocabulary and the
  initial weights come from the weights file instead of list(set(data)) and
  np.random.randn(…)·0.01, and there is no sampling every 100 iterations.

Cellscope multiplies row vectors (x·Wx), min-char-rnn column vectors (Wxh·x),
so Wxh = Wxᵀ, Whh = Whᵀ, Why = Wyᵀ; the biases are the same vectors.
Everything here runs in float64 from the exported float32 weights.

At learning rate 0.1 the recipe amplifies rounding: two float64 runs whose
initial weights differ by one part in 10¹² differ by 6% in loss by iteration
10 (`--perturb 1e-12` shows it), so float32 Cellscope and float64 numpy can
agree to 1e-4 for the first iterations only, and after that in their
averages. At 0.01 a perturbation of 1e-7 (float32's rounding) stays below
1e-6 in loss for 250 iterations, so that is where the curves are compared
step by step; but there the gradients stay small and a clip at 5 never bites
(it does only when the loss blows up, as at 0.1), so that comparison clips
at 1, where it bites in every iteration (without it the curve moves by 1%).

Regenerating the fixtures lib/train/fixtures/min-char-rnn-*.json (from the
repo root; the test lib/train/min-char-rnn.test.ts runs the same Cellscope
side, without Python):
  mkdir -p scratch && head -c 3000 corpora/shakespeare.txt > scratch/shakespeare-3000.txt
  npx cellscope train --corpus scratch/shakespeare-3000.txt --cell rnn --layers 1 \\
    --hidden 100 --seq 25 --batch 1 --dropout 0 --optimizer adagrad --lr 0.1 \\
    --lr-decay 1 --clip 5 --clip-mode value --loss sum --weight-init normal:0.01 \\
    --seed 1 --max-iterations 1 --out scratch/min-char-rnn \\
    --export-init scratch/min-char-rnn-init.json
  for run in "0.1 5" "0.01 1"; do
    set -- $run
    python3 scripts/min-char-rnn.py --weights scratch/min-char-rnn-init.json \\
      --data scratch/shakespeare-3000.txt --chars 2700 --iterations 250 \\
      --lr $1 --clip $2 > lib/train/fixtures/min-char-rnn-lr$1-clip$2.json
  done
(`--chars 2700`: Cellscope trains on the first 90% of a corpus, its training
split, and 2,700 is 90% of the 3,000 characters. The initial weights depend
on --seed and --weight-init only, not on --lr or --clip.)
"""
import argparse
import hashlib
import json
import sys

import numpy as np


def load_weights(path):
    """The exported weights, as min-char-rnn's column-vector matrices in float64, and what they hash to."""
    with open(path, encoding="utf-8") as f:
        w = json.load(f)
    if w.get("format") != "cellscope-weights":
        sys.exit(f"{path}: not a cellscope-weights file")
    cfg = w["config"]
    if cfg["cell"] != "rnn" or cfg["layers"] != 1:
        sys.exit(f"{path}: min-char-rnn is one vanilla RNN layer, this is {cfg['layers']} x {cfg['cell']}")
    # The hash of the float32 bytes in file order: proves which exact weights this curve started from.
    digest = hashlib.sha256()
    arrays = {}
    for name, t in w["weights"].items():
        a32 = np.asarray(t["values"], dtype="<f4").reshape(t["shape"])
        digest.update(a32.tobytes())
        arrays[name] = a32.astype(np.float64)
    if digest.hexdigest() != w["sha256"]:
        sys.exit(f"{path}: the weights do not hash to the sha256 the file states")
    params = {
        "Wxh": arrays["rnn.0.Wx"].T.copy(),  # [H, V]
        "Whh": arrays["rnn.0.Wh"].T.copy(),  # [H, H]
        "Why": arrays["out.Wy"].T.copy(),  # [V, H]
        "bh": arrays["rnn.0.b"].reshape(-1, 1),  # [H, 1]
        "by": arrays["out.by"].reshape(-1, 1),  # [V, 1]
    }
    return params, w["vocab"], digest.hexdigest()


def loss_fun(P, inputs, targets, hprev):
    """Forward over the sequence, then backpropagation through time; returns the summed loss, the gradients and the last h."""
    V = P["Why"].shape[0]
    xs, hs, ps = {}, {-1: hprev}, {}
    loss = 0.0
    for t, (i, j) in enumerate(zip(inputs, targets)):
        xs[t] = np.zeros((V, 1))
        xs[t][i] = 1.0
        hs[t] = np.tanh(P["Wxh"] @ xs[t] + P["Whh"] @ hs[t - 1] + P["bh"])
        y = P["Why"] @ hs[t] + P["by"]
        e = np.exp(y - y.max())  # shifted for stability; the softmax is the same
        ps[t] = e / e.sum()
        loss -= np.log(ps[t][j, 0])
    G = {k: np.zeros_like(v) for k, v in P.items()}
    dh_next = np.zeros_like(hprev)
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0  # d loss / d y_t = p_t − onehot(target_t)
        G["Why"] += dy @ hs[t].T
        G["by"] += dy
        dh = P["Why"].T @ dy + dh_next
        du = (1.0 - hs[t] * hs[t]) * dh  # through tanh
        G["bh"] += du
        G["Wxh"] += du @ xs[t].T
        G["Whh"] += du @ hs[t - 1].T
        dh_next = P["Whh"].T @ du
    return loss, G, hs[len(inputs) - 1]


def main():
    ap = argparse.ArgumentParser(description="min-char-rnn in numpy from Cellscope-exported initial weights; prints the loss curve as JSON")
    ap.add_argument("--weights", required=True, help="a cellscope-weights JSON file (cellscope train --export-init)")
    ap.add_argument("--data", required=True, help="a UTF-8 text file")
    ap.add_argument("--chars", type=int, help="train on the first N characters of --data only (default: all)")
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--seq", type=int, default=25)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--perturb", type=float, default=0.0, help="multiply each initial weight by 1 + PERTURB·N(0, 1) (seeded): how much does rounding move the curve?")
    args = ap.parse_args()

    P, vocab, weights_sha = load_weights(args.weights)
    if args.perturb:
        rng = np.random.default_rng(0)
        P = {k: v * (1 + args.perturb * rng.standard_normal(v.shape)) for k, v in P.items()}
    with open(args.data, encoding="utf-8") as f:
        data = f.read()
    if args.chars is not None:
        data = data[: args.chars]
    ix = {c: i for i, c in enumerate(vocab)}
    missing = sorted(set(data) - set(ix))
    if missing:
        sys.exit(f"{args.data}: characters the weights' vocabulary lacks: {missing!r}")

    mem = {k: np.zeros_like(v) for k, v in P.items()}
    hprev = np.zeros((P["Whh"].shape[0], 1))
    p = 0
    losses = []
    for n in range(args.iterations):
        if p + args.seq + 1 > len(data):
            hprev = np.zeros_like(hprev)
            p = 0
        inputs = [ix[c] for c in data[p : p + args.seq]]
        targets = [ix[c] for c in data[p + 1 : p + args.seq + 1]]
        loss, G, hprev = loss_fun(P, inputs, targets, hprev)
        losses.append(float(loss))
        for k in P:
            np.clip(G[k], -args.clip, args.clip, out=G[k])
            mem[k] += G[k] * G[k]
            P[k] -= args.lr * G[k] / np.sqrt(mem[k] + 1e-8)
        p += args.seq

    json.dump(
        {
            "source": "scripts/min-char-rnn.py (numpy, float64)",
            "recipe": {"hidden": int(P["Whh"].shape[0]), "seq": args.seq, "batch": 1, "optimizer": "adagrad", "lr": args.lr, "eps": 1e-8, "clip": args.clip, "clipMode": "value", "loss": "sum"},
            "data": {"chars": len(data), "sha256": hashlib.sha256(data.encode("utf-8")).hexdigest()},
            "initialWeightsSha256": weights_sha,
            "perturb": args.perturb,
            "iterations": args.iterations,
            "lossDefinition": "per iteration, the sequence's loss summed over its steps (nats), before that iteration's update",
            "loss": losses,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
