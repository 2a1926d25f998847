/* What the recurrences (lstm.c, gru.c, rnn.c) share: a vectorizable σ, and a per-thread scratch buffer. */
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

/* e^x for x in [−87, 87] (clamped outside): Cephes' expf, 2^n · e^r with |r| ≤ ln2/2, relative error ~1e-7.
 * Written branch-free so that gcc turns the gate loops into vector code (with -fno-trapping-math: binding.gyp). */
static inline float expf_(float x) {
  x = x > -87.f ? x : -87.f;
  x = x < 87.f ? x : 87.f;
  /* n = round(x·log2 e): truncating a positive number floors it, and floorf would stop the vectorizer. */
  int ni = (int)(x * 1.44269504088896341f + 128.5f) - 128;
  float n = (float)ni;
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.f;
  int bits = (ni + 127) << 23;
  float s;
  memcpy(&s, &bits, 4);
  return p * s;
}
static inline float sigm(float x) { return 1.f / (1.f + expf_(-x)); }


/* tanh(x) = 2σ(2x) − 1 (exact in real arithmetic). */
static inline float tanh_(float x) { return 2.f * sigm(2.f * x) - 1.f; }

static _Thread_local float *scratch;
static _Thread_local size_t scratchSize;

static inline float *need(size_t n) {
  if (scratchSize >= n) return scratch;
  free(scratch);
  scratch = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
  scratchSize = scratch ? n : 0;
  return scratch;
}


/* Wh (K×N after its transpose when tB) packed into the scratch once for all T products of a chunk
 * (packing it per step cost about a fifth of each), then `extra` zeroed floats for the caller's
 * per-step buffers, returned in *rest. NULL on out of memory. */
static inline float *packOnce(const float *Wh, int K, int N, int tB, size_t extra, float **rest) {
  size_t np = cs_packed_size(K, N);
  float *packed = need(np + extra);
  if (!packed) return NULL;
  cs_pack_b(Wh, packed, K, N, tB);
  *rest = packed + np;
  memset(*rest, 0, sizeof(float) * extra);
  return packed;
}
