/*
 * A whole GRU layer's recurrence (PyTorch's formulation, lib/model/gru.ts), forward and backward, on the wasm heap.
 *
 *   a_t = h_{t−1}·Wh                    gate blocks [r, z, n], each H wide; pre_t = x_t·Wx + b likewise
 *   r = σ(pre_r + a_r);  z = σ(pre_z + a_z);  an = a_n + bhn
 *   n = tanh(pre_n + r ⊙ an);           h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *
 * Backward (truncated at the chunk's start): with dh = dh_t + dA_{t+1}·Whᵀ + dh_{t+1} ⊙ z_{t+1}
 * (the recurrent gradient) and Pn = (1 − z)(1 − n²),
 *   dA = [dh ⊙ Pn ⊙ an ⊙ r(1−r),  dh ⊙ (h_{t−1} − n) ⊙ z(1−z),  dh ⊙ Pn ⊙ r]    (of h·Wh + [0, 0, bhn])
 *   dPre = [dA_r, dA_z, dh ⊙ Pn]
 * Tape as gru.ts keeps it: R, Z, N, AN (= an), Hs, each [T·B, H], time-major.
 */
#include "cellmath.h"
#include "kernels.h"

static void stepForward(int H, const float *restrict a, const float *restrict x, const float *restrict bhn, const float *restrict hp,
                        float *restrict r, float *restrict z, float *restrict n, float *restrict an, float *restrict h) {
  const float *restrict ar = a, *restrict az = a + H, *restrict aN = a + 2 * H;
  const float *restrict xr = x, *restrict xz = x + H, *restrict xn = x + 2 * H;
  for (int j = 0; j < H; j++) {
    float rj = sigm(xr[j] + ar[j]), zj = sigm(xz[j] + az[j]);
    float anj = aN[j] + bhn[j];
    float nj = tanh_(xn[j] + rj * anj);
    r[j] = rj; z[j] = zj; n[j] = nj; an[j] = anj;
    h[j] = nj + zj * (hp[j] - nj);
  }
}

static void stepBackward(int H, const float *restrict r, const float *restrict z, const float *restrict n, const float *restrict an, const float *restrict hp,
                         const float *restrict d, float *restrict dhRec, float *restrict dA, float *restrict dPre) {
  float *restrict dAr = dA, *restrict dAz = dA + H, *restrict dAn = dA + 2 * H;
  float *restrict pr = dPre, *restrict pz = dPre + H, *restrict pn = dPre + 2 * H;
  for (int j = 0; j < H; j++) {
    float dh = d[j] + dhRec[j];
    float Pn = (1.f - z[j]) * (1.f - n[j] * n[j]);
    float ar = dh * Pn * an[j] * r[j] * (1.f - r[j]);
    float az = dh * (hp[j] - n[j]) * z[j] * (1.f - z[j]);
    dAr[j] = ar; dAz[j] = az; dAn[j] = dh * Pn * r[j];
    pr[j] = ar; pz[j] = az; pn[j] = dh * Pn;
    dhRec[j] = dh * z[j]; /* the direct path h_{t−1} → h_t; the product adds dA·Whᵀ */
  }
}

/* pre [T·B, 3H], Wh [H, 3H], bhn [H], h0 [B, H] → R, Z, N, AN, Hs [T·B, H]. Returns 0 on out of memory. */
int cs_gru_forward(const float *pre, const float *Wh, const float *bhn, const float *h0, float *R, float *Z, float *N, float *AN, float *Hs, int T, int B, int H) {
  const int G = 3 * H;
  float *a; /* h·Wh of one step, [B, 3H] */
  const float *packed = packOnce(Wh, H, G, 0, (size_t)B * G, &a);
  if (!packed) return 0;
  for (int t = 0; t < T; t++) {
    const float *hp = t ? Hs + (size_t)(t - 1) * B * H : h0;
    if (!cs_gemm_packed(hp, packed, a, B, H, G, 0)) return 0;
    for (int b = 0; b < B; b++) {
      size_t rh = ((size_t)t * B + b) * H;
      stepForward(H, a + (size_t)b * G, pre + ((size_t)t * B + b) * G, bhn, hp + (size_t)b * H, R + rh, Z + rh, N + rh, AN + rh, Hs + rh);
    }
  }
  return 1;
}

/* The tape, h0 [B, H], dh [T·B, H], Wh [H, 3H] → dA and dPre [T·B, 3H]. Returns 0 on out of memory. */
int cs_gru_backward(const float *R, const float *Z, const float *N, const float *AN, const float *Hs, const float *h0, const float *dh, const float *Wh, float *dA, float *dPre, int T, int B, int H) {
  const int G = 3 * H;
  float *dhRec; /* then prod, [B, H] each */
  const float *packed = packOnce(Wh, G, H, 1, 2 * (size_t)B * H, &dhRec);
  if (!packed) return 0;
  float *prod = dhRec + (size_t)B * H;
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      size_t r = (size_t)t * B + b, rh = r * H;
      const float *hp = t ? Hs + rh - (size_t)B * H : h0 + (size_t)b * H;
      stepBackward(H, R + rh, Z + rh, N + rh, AN + rh, hp, dh + rh, dhRec + (size_t)b * H, dA + r * G, dPre + r * G);
    }
    if (t > 0) {
      if (!cs_gemm_packed(dA + (size_t)t * B * G, packed, prod, B, G, H, 0)) return 0;
      for (size_t k = 0; k < (size_t)B * H; k++) dhRec[k] += prod[k];
    }
  }
  return 1;
}
