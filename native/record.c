/*
 * What recording does once per value, beside the model (lib/record/):
 *
 *   quantize: dst[d0 + u·stride + j] = q(src[(r0 + j·rstep)·H + u]),  j < count, u < H
 *             q(x) = 255 if v ≥ 256, ⌊v⌋ if v > 0, else 0 (NaN too),  v = (x − lo)·scale + 0.5
 *     one stream's rows of a time-major [steps·S, H] batch (rstep = S) to its units'
 *     rows of the window, unit-major: the transpose and the quantization in one pass.
 *   histogram: h[b] = #{i : q[i] = b}
 *   outside:   the positions i, in order, of bytes q[i] > hi or q[i] < lo
 *   equal:     the first `max` positions of bytes q[i] = t
 *
 * Each is lib/record's JavaScript loop, to the byte: v is computed in double
 * in the same order, and contraction into a fused multiply-add is turned off
 * below, since it would round (x − lo)·scale + 0.5 once instead of twice.
 * Why native: 3–8 ns a value in JavaScript here, against well under one.
 */
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif
#include <stdint.h>
#include <string.h>
#include "kernels.h"

void cs_quantize_rows(const float *src, int64_t r0, int64_t rstep, int count, int H, double lo, double scale, uint8_t *dst, int64_t d0, int64_t stride) {
  /* Rows read whole (contiguous), each unit's row of the window written a byte a step: the
     H rows written stay in cache across the count steps. */
  for (int j = 0; j < count; j++) {
    const float *x = src + (r0 + (int64_t)j * rstep) * H;
    uint8_t *d = dst + d0 + j;
    for (int u = 0; u < H; u++) {
      double v = ((double)x[u] - lo) * scale + 0.5;
      d[(int64_t)u * stride] = v >= 256 ? 255 : v > 0 ? (uint8_t)(int)v : 0;
    }
  }
}

void cs_histogram(const uint8_t *q, int64_t n, uint32_t *h) {
  /* Four interleaved histograms: a run of equal bytes would otherwise make every
     increment wait for the one before. */
  uint32_t h4[4][256];
  memset(h4, 0, sizeof h4);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    h4[0][q[i]]++;
    h4[1][q[i + 1]]++;
    h4[2][q[i + 2]]++;
    h4[3][q[i + 3]]++;
  }
  for (; i < n; i++) h4[0][q[i]]++;
  for (int b = 0; b < 256; b++) h[b] = h4[0][b] + h4[1][b] + h4[2][b] + h4[3][b];
}

int64_t cs_outside(const uint8_t *q, int64_t n, int lo, int hi, int32_t *out, int64_t cap) {
  /* Nearly every byte is inside: test 32 at a time (vectorized), look closer only where one is not. */
  int64_t k = 0, i = 0;
  for (; i + 32 <= n; i += 32) {
    int any = 0;
    for (int j = 0; j < 32; j++) any |= (q[i + j] > hi) | (q[i + j] < lo);
    if (!any) continue;
    for (int j = 0; j < 32; j++)
      if (q[i + j] > hi || q[i + j] < lo) {
        if (k == cap) return -1;
        out[k++] = (int32_t)(i + j);
      }
  }
  for (; i < n; i++)
    if (q[i] > hi || q[i] < lo) {
      if (k == cap) return -1;
      out[k++] = (int32_t)i;
    }
  return k;
}

int64_t cs_equal(const uint8_t *q, int64_t n, int t, int32_t *out, int64_t max) {
  int64_t k = 0;
  for (int64_t i = 0; i < n && k < max; i++)
    if (q[i] == t) out[k++] = (int32_t)i;
  return k;
}
