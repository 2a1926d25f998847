/*
 * Dropout masks drawn from mulberry32, the generator of lib/model/random.ts,
 * exactly as its runDraws draws them: draw k of a generator at state s is
 * mix(s + (k + 1)·0x6d2b79f5) (the state only counts), and a mask value is 0
 * where the draw u (a 32-bit integer, u/2³² uniform in [0, 1)) is below p·2³²,
 * else `keep` = 1/(1 − p).
 *
 * One layer's rows for streams [from, to) of a time-major [T·B, H] chunk: row
 * (t, s) holds draws (l·T·B + t·B + s)·H … + H − 1, written to out[(t·(to − from) + s − from)·H + j].
 * Why native: 5M draws a chunk of 100 × 100 at 2×256, ~10 ns each in JavaScript.
 */
#include <stdint.h>
#include "kernels.h"

#define STEP 0x6d2b79f5u

void cs_dropout_rows(uint32_t start, int layer, int steps, int batch, int from, int to, int hidden, uint64_t below, float keep, float *out) {
  for (int t = 0; t < steps; t++)
    for (int s = from; s < to; s++) {
      uint32_t k0 = (uint32_t)(((uint64_t)layer * steps * batch + (uint64_t)t * batch + s) * hidden);
      uint32_t st0 = start + STEP * k0;
      float *o = out + ((size_t)t * (to - from) + (s - from)) * hidden;
      for (int j = 0; j < hidden; j++) {
        uint32_t st = st0 + STEP * (uint32_t)(j + 1);
        uint32_t x = (st ^ (st >> 15)) * (st | 1u);
        x ^= x + (x ^ (x >> 7)) * (x | 61u);
        uint32_t u = x ^ (x >> 14);
        o[j] = (uint64_t)u < below ? 0.f : keep;
      }
    }
}
