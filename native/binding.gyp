{
  "targets": [
    {
      "target_name": "matmul",
      "sources": ["addon.c", "matmul.c", "lstm.c", "gru.c", "rnn.c", "dropout.c", "record.c"],
      "cflags": ["-O3", "-march=native", "-std=gnu11", "-ffp-contract=fast", "-fno-trapping-math"],
      "cflags!": ["-O2", "-O0"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-march=native", "-fno-trapping-math"] }
    }
  ]
}
