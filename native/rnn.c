/*
 * A whole vanilla RNN layer's recurrence (min-char-rnn's, lib/model/rnn.ts), forward and backward, on the wasm heap.
 *
 *   h_t = tanh(pre_t + h_{t−1}·Wh)
 *   backward: du_t = (dh_t + du_{t+1}·Whᵀ) ⊙ (1 − h_t²)       (dPre = du; truncated at the chunk's start)
 */
#include "cellmath.h"
#include "kernels.h"

static void stepForward(int H, const float *restrict a, const float *restrict x, float *restrict h) {
  for (int j = 0; j < H; j++) h[j] = tanh_(x[j] + a[j]);
}

static void stepBackward(int H, const float *restrict h, const float *restrict d, const float *restrict dhRec, float *restrict du) {
  for (int j = 0; j < H; j++) du[j] = (d[j] + dhRec[j]) * (1.f - h[j] * h[j]);
}

/* pre [T·B, H], Wh [H, H], h0 [B, H] → Hs [T·B, H]. Returns 0 on out of memory. */
int cs_rnn_forward(const float *pre, const float *Wh, const float *h0, float *Hs, int T, int B, int H) {
  float *a; /* h·Wh of one step, [B, H] */
  const float *packed = packOnce(Wh, H, H, 0, (size_t)B * H, &a);
  if (!packed) return 0;
  for (int t = 0; t < T; t++) {
    const float *hp = t ? Hs + (size_t)(t - 1) * B * H : h0;
    if (!cs_gemm_packed(hp, packed, a, B, H, H, 0)) return 0;
    size_t o = (size_t)t * B * H;
    stepForward(B * H, a, pre + o, Hs + o);
  }
  return 1;
}

/* Hs [T·B, H], dh [T·B, H], Wh [H, H] → dPre [T·B, H]. Returns 0 on out of memory. */
int cs_rnn_backward(const float *Hs, const float *dh, const float *Wh, float *dPre, int T, int B, int H) {
  float *dhRec;
  const float *packed = packOnce(Wh, H, H, 1, (size_t)B * H, &dhRec);
  if (!packed) return 0;
  for (int t = T - 1; t >= 0; t--) {
    size_t o = (size_t)t * B * H;
    stepBackward(B * H, Hs + o, dh + o, dhRec, dPre + o);
    if (t > 0 && !cs_gemm_packed(dPre + o, packed, dhRec, B, H, H, 0)) return 0;
  }
  return 1;
}
