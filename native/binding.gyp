{
  "targets": [
    {
      "target_name": "matmul",
      "sources": ["matmul.c"],
      "cflags": ["-O3", "-march=native", "-std=gnu11", "-ffp-contract=fast"],
      "cflags!": ["-O2", "-O0"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-march=native"] }
    }
  ]
}
