/*
 * A whole LSTM layer's recurrence, forward and backward, on the wasm heap.
 *
 *   z_t = pre_t + h_{t−1}·Wh           gate blocks [i, f, o, g], each H wide
 *   i, f, o = σ(z_i, z_f, z_o);  g = tanh(z_g) = 2σ(2z_g) − 1
 *   c_t = f ⊙ c_{t−1} + i ⊙ g;   h_t = o ⊙ tanh(c_t)
 *
 * Backward (truncated at the chunk's start, as lib/model/lstm.ts):
 *   dh = dh_t + dz_{t+1}·Whᵀ;        dc = dh ⊙ o ⊙ (1 − tanh²c_t) + dc_{t+1} ⊙ f_{t+1}
 *   dz_i = dc ⊙ g ⊙ i(1−i);  dz_f = dc ⊙ c_{t−1} ⊙ f(1−f);  dz_o = dh ⊙ tanh c_t ⊙ o(1−o);  dz_g = dc ⊙ i ⊙ (1−g²)
 *
 * Why: run as tfjs ops, each step is about 25 small kernels (slices, adds,
 * sigmoids, concats), a third of a training step's time at 50 streams; here a
 * step is one product (the same GEMM as matmul.c) and one pass over the gates.
 * The tape keeps lstm.ts's layout, so the rest of the network is unchanged:
 * S = [i, f, o, σ(2z_g)], C = c, TC = tanh(c), Hs = h, all [T·B, ·], time-major.
 */
#include <string.h>
#include "cellmath.h"
#include "kernels.h"

/* One stream's gates after the product: s holds h·Wh on entry and [i, f, o, σ(2z_g)] on return. */
static void stepForward(int H, float *restrict s, const float *restrict x, const float *restrict cp, float *restrict c, float *restrict tc, float *restrict h) {
  /* The four gate blocks as four arrays (one pointer each vectorizes; s[k·H + j] did not). */
  float *restrict si = s, *restrict sf = s + H, *restrict so = s + 2 * H, *restrict sgt = s + 3 * H;
  const float *restrict xi = x, *restrict xf = x + H, *restrict xo = x + 2 * H, *restrict xg = x + 3 * H;
  for (int j = 0; j < H; j++) {
    float i = sigm(si[j] + xi[j]);
    float f = sigm(sf[j] + xf[j]);
    float o = sigm(so[j] + xo[j]);
    float sg = sigm(2.f * (sgt[j] + xg[j]));
    float cc = f * cp[j] + i * (2.f * sg - 1.f);
    float th = 2.f * sigm(2.f * cc) - 1.f;
    si[j] = i; sf[j] = f; so[j] = o; sgt[j] = sg;
    c[j] = cc; tc[j] = th; h[j] = o * th;
  }
}

/* One stream's dz at one step; dhRec (dz_{t+1}·Whᵀ) and dcNext (dc_{t+1} ⊙ f_{t+1}) come in, dcNext for step t − 1 goes out. */
static void stepBackward(int H, const float *restrict s, const float *restrict tc, const float *restrict cp, const float *restrict d, const float *restrict dhRec, float *restrict dcNext, float *restrict dz) {
  for (int j = 0; j < H; j++) {
    float i = s[j], f = s[H + j], o = s[2 * H + j], sg = s[3 * H + j], th = tc[j];
    float g = 2.f * sg - 1.f;
    float dht = d[j] + dhRec[j];
    float dc = dht * o * (1.f - th * th) + dcNext[j];
    dz[j] = dc * g * i * (1.f - i);
    dz[H + j] = dc * cp[j] * f * (1.f - f);
    dz[2 * H + j] = dht * th * o * (1.f - o);
    dz[3 * H + j] = dc * i * 4.f * sg * (1.f - sg);
    dcNext[j] = dc * f;
  }
}

/* Forward over T steps of B streams. pre [T·B, 4H], Wh [H, 4H], h0, c0 [B, H];
 * writes S [T·B or B, 4H] (B rows reused per step when !keepS), C, TC, Hs [T·B, H]. Returns 0 on out of memory. */
int cs_lstm_forward(const float *pre, const float *Wh, const float *h0, const float *c0, float *S, float *C, float *TC, float *Hs, int T, int B, int H, int keepS) {
  const int G = 4 * H;
  float *unused;
  const float *packed = packOnce(Wh, H, G, 0, 0, &unused);
  if (!packed) return 0;
  for (int t = 0; t < T; t++) {
    const float *hp = t ? Hs + (size_t)(t - 1) * B * H : h0;
    const float *cp = t ? C + (size_t)(t - 1) * B * H : c0;
    float *s = S + (keepS ? (size_t)t * B * G : 0);
    if (!cs_gemm_packed(hp, packed, s, B, H, G, 0)) return 0;
    const float *x = pre + (size_t)t * B * G;
    float *c = C + (size_t)t * B * H, *tc = TC + (size_t)t * B * H, *h = Hs + (size_t)t * B * H;
    for (int b = 0; b < B; b++)
      stepForward(H, s + (size_t)b * G, x + (size_t)b * G, cp + (size_t)b * H, c + (size_t)b * H, tc + (size_t)b * H, h + (size_t)b * H);
  }
  return 1;
}

/* Backward: S, C, TC as forward wrote them (keepS), c0 [B, H], dh [T·B, H], Wh [H, 4H] → dPre [T·B, 4H]. Returns 0 on out of memory. */
int cs_lstm_backward(const float *S, const float *C, const float *TC, const float *c0, const float *dh, const float *Wh, float *dPre, int T, int B, int H) {
  const int G = 4 * H;
  /* Whᵀ [4H, H] packed once; then dhRec, dcNext [B, H], zero before the last step. */
  float *dhRec;
  const float *packed = packOnce(Wh, G, H, 1, 2 * (size_t)B * H, &dhRec);
  if (!packed) return 0;
  float *dcNext = dhRec + (size_t)B * H;
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      size_t r = (size_t)t * B + b, bh = (size_t)b * H;
      stepBackward(H, S + r * G, TC + r * H, t ? C + (r - B) * H : c0 + bh, dh + r * H, dhRec + bh, dcNext + bh, dPre + r * G);
    }
    if (t > 0 && !cs_gemm_packed(dPre + (size_t)t * B * G, packed, dhRec, B, G, H, 0)) return 0;
  }
  return 1;
}
