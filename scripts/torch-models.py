"""
PyTorch char models in and out of Cellscope (P9), checked by PyTorch itself.
Debian: apt-get install python3-torch (and libopenblas0-pthread for speed).

  /usr/bin/python3 scripts/torch-models.py fixtures
      writes lib/model/fixtures/torch-*.safetensors: small models made and run by
      PyTorch, each with PyTorch's own per-character losses on a text beside it
      (torch-*.json). `npm test` imports them and must reproduce those losses to
      1e-4 (lib/model/torch-weights.test.ts); no Python is needed there.

  /usr/bin/python3 scripts/torch-models.py check FILE.safetensors TEXT_FILE
      loads a file written by `cellscope export-model --format safetensors` into
      the module below and prints PyTorch's mean loss on the text, for the round
      trip: compare it with `cellscope eval` on the same text.

The module every file here uses (the one `export-model` writes for):

    class CharModel(nn.Module):          # state_dict: [embed.weight], rnn.*, decoder.*
        embed  = nn.Embedding(V, E)      # or none: one-hot input
        rnn    = nn.LSTM | nn.GRU | nn.RNN(E or V, H, layers)
        decoder = nn.Linear(H, V)

The safetensors format is written and read by hand (8-byte little-endian header
length, JSON header, raw little-endian bytes), so nothing but torch is needed.
"""
import json, struct, sys
import torch, torch.nn as nn

TEXT = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n\n"
        "First Citizen:\nYou are all resolved rather to die than to famish?\n\nAll:\nResolved. resolved.\n")


class CharModel(nn.Module):
    def __init__(self, kind, V, H, layers, E=None):
        super().__init__()
        self.V = V
        self.embed = nn.Embedding(V, E) if E else None
        self.rnn = getattr(nn, kind)(E or V, H, layers)
        self.decoder = nn.Linear(H, V)

    def forward(self, ids):  # ids [T] -> logits [T, V], from a zero state
        x = self.embed(ids) if self.embed is not None else nn.functional.one_hot(ids, self.V).float()
        y, _ = self.rnn(x[:, None, :])
        return self.decoder(y[:, 0])


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, t in tensors.items():
        b = t.detach().contiguous().float().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b); blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n]); data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        assert e["dtype"] == "F32", e["dtype"]
        b, end = e["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[b:end]), dtype=torch.float32).reshape(e["shape"])
    return tensors, meta


def losses(model, text, vocab):
    ix = {c: i for i, c in enumerate(vocab)}
    ids = torch.tensor([ix[c] for c in text])
    with torch.no_grad():
        return nn.functional.cross_entropy(model(ids[:-1]), ids[1:], reduction="none")


def fixtures():
    # A vocabulary in an order of PyTorch's user's choosing (not Cellscope's sorted one), with one unused character.
    vocab = sorted(set(TEXT) | {"#"}, reverse=True)
    V = len(vocab)
    specs = [  # name, module, H, layers, E, vocab in the metadata (else in a separate .vocab.json)
        ("torch-lstm-embed", "LSTM", 32, 2, 12, True),
        ("torch-gru-embed", "GRU", 32, 2, 12, True),
        ("torch-rnn-embed", "RNN", 32, 1, 12, True),
        ("torch-lstm-onehot", "LSTM", 32, 1, None, False),
    ]
    for name, kind, H, layers, E, in_meta in specs:
        torch.manual_seed(1)
        m = CharModel(kind, V, H, layers, E)
        with torch.no_grad():  # weights well away from zero, so every gate and bias matters
            for p in m.parameters(): p.mul_(3)
        meta = {"format": "pt", "cell": kind.lower()}
        if in_meta: meta["vocab"] = json.dumps(vocab, ensure_ascii=False)
        else:
            with open(f"lib/model/fixtures/{name}.vocab.json", "w") as f: json.dump(vocab, f, ensure_ascii=False)
        write_safetensors(f"lib/model/fixtures/{name}.safetensors", m.state_dict(), meta)
        l = losses(m, TEXT, vocab)
        with open(f"lib/model/fixtures/{name}.json", "w") as f:
            json.dump({"module": kind, "hidden": H, "layers": layers, "embedding": E, "text": TEXT,
                       "torch": torch.__version__, "meanNats": l.mean().item(), "nats": [round(x, 6) for x in l.tolist()]}, f)
            f.write("\n")
        print(f"{name}: {l.mean().item():.6f} nats/char over {len(l)} characters")


def check(path, text_file):
    tensors, meta = read_safetensors(path)
    vocab = json.loads(meta["vocab"])
    H = tensors["rnn.weight_hh_l0"].shape[1]; G = tensors["rnn.weight_hh_l0"].shape[0] // H
    layers = len([k for k in tensors if k.startswith("rnn.weight_ih_l")])
    m = CharModel({4: "LSTM", 3: "GRU", 1: "RNN"}[G], len(vocab), H, layers)
    m.load_state_dict(tensors)
    text = open(text_file, encoding="utf-8").read()
    l = losses(m, text, vocab)
    print(json.dumps({"file": path, "chars": len(l), "meanNats": round(l.mean().item(), 6)}))


if __name__ == "__main__":
    torch.set_num_threads(1)
    if sys.argv[1:2] == ["fixtures"]: fixtures()
    elif sys.argv[1:2] == ["check"]: check(sys.argv[2], sys.argv[3])
    else: sys.exit(__doc__)
