/*
 * A native single-precision matrix product for the tfjs wasm backend.
 *
 *   C[b] = op(A[b]) · op(B[b]),  op(X) = X or Xᵀ,  C: M×N, op(A): M×K, op(B): K×N
 *
 * Why: the wasm backend's products run 4 floats wide without fused
 * multiply-add; this CPU's own units are 8 or 16 wide with it. The product is
 * computed in place on the wasm heap (the Float32Arrays passed in are views of
 * it), so nothing is copied in or out.
 *
 * How (GotoBLAS's loop order): for each block of KC rows of op(B), copy it into
 * panels NR columns wide; for each block of MC rows of op(A), copy it into
 * panels MR rows tall; then every MR×NR tile of C is the sum over the block's
 * k of (column k of an A panel) ⊗ (row k of a B panel), kept in registers.
 * The copies make every inner load contiguous, whatever the transposes.
 * Built with -march=native (and contraction on, so a·b + c is one fused
 * multiply-add), so the vectors are as wide as this CPU's.
 */
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

#if defined(__AVX512F__)
#define VW 16
#else
#define VW 8
#endif
typedef float vf __attribute__((vector_size(VW * 4), aligned(4)));

enum { MR = 6, NR = 2 * VW, KC = 256, MC = 16 * MR };

static _Thread_local float *packA, *packB;
static _Thread_local size_t packBSize;

static void *grow(float **buf, size_t *have, size_t want) {
  if (*have >= want) return *buf;
  free(*buf);
  *buf = aligned_alloc(64, ((want * sizeof(float) + 63) / 64) * 64);
  *have = *buf ? want : 0;
  return *buf;
}

/* An MR×NR tile: C[0..mr)×[0..nr) (+)= Σ_k a[k][i] · b[k][j]. */
static void tile(int kc, const float *a, const float *b, float *c, int ldc, int mr, int nr, int add) {
  vf acc[MR][2];
  for (int i = 0; i < MR; i++) acc[i][0] = acc[i][1] = (vf){0};
  for (int k = 0; k < kc; k++, a += MR, b += NR) {
    vf b0 = *(const vf *)b, b1 = *(const vf *)(b + VW);
    for (int i = 0; i < MR; i++) {
      /* The scalar times a vector: one broadcast load. ((vf){0} + a[i]) cost an add per
       * element on the critical path, since 0 + x is not x for x = -0 (so it stays). */
      acc[i][0] += a[i] * b0;
      acc[i][1] += a[i] * b1;
    }
  }
  if (mr == MR && nr == NR) {
    for (int i = 0; i < MR; i++) {
      vf *ci0 = (vf *)(c + i * ldc), *ci1 = (vf *)(c + i * ldc + VW);
      if (add) { *ci0 += acc[i][0]; *ci1 += acc[i][1]; }
      else { *ci0 = acc[i][0]; *ci1 = acc[i][1]; }
    }
    return;
  }
  float t[MR][NR] __attribute__((aligned(64)));
  for (int i = 0; i < MR; i++) { memcpy(t[i], &acc[i][0], VW * 4); memcpy(t[i] + VW, &acc[i][1], VW * 4); }
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nr; j++) c[i * ldc + j] = add ? c[i * ldc + j] + t[i][j] : t[i][j];
}

/* Copies rows [pc, pc + kc) of columns [j0, j0 + nr) of op(B) into an NR-wide panel, zero-padded. */
static void packPanel(const float *B, float *dst, int K, int N, int tB, int pc, int kc, int j0, int nr) {
  for (int k = 0; k < kc; k++, dst += NR) {
    int kk = pc + k, j = 0;
    if (!tB) { memcpy(dst, B + (size_t)kk * N + j0, nr * 4); j = nr; }
    else for (; j < nr; j++) dst[j] = B[(size_t)(j0 + j) * K + kk];
    for (; j < NR; j++) dst[j] = 0;
  }
}

/* Copies rows [ic, ic + mc) of columns [pc, pc + kc) of op(A) into panels MR rows tall, zero-padded. */
static void packRows(const float *A, float *packed, int M, int K, int tA, int pc, int kc, int ic, int mc) {
  for (int ip = 0; ip < mc; ip += MR) {
    float *dst = packed + (size_t)ip * kc;
    int mr = mc - ip < MR ? mc - ip : MR;
    for (int k = 0; k < kc; k++, dst += MR) {
      int kk = pc + k, i = 0;
      for (; i < mr; i++) {
        int ii = ic + ip + i;
        dst[i] = tA ? A[(size_t)kk * M + ii] : A[(size_t)ii * K + kk];
      }
      for (; i < MR; i++) dst[i] = 0;
    }
  }
}

/* One product; A(i,k) and B(k,j) read through the transposes. Returns 0 on out of memory.
 *
 * Every panel of B is copied, even an untransposed whole one: read in place, its rows are N
 * floats apart (4 KB for N = 1,024), so a panel's KC rows fall in the same few L1 sets and
 * evict each other between tiles (56 against 88 GFLOP/s here). When all of A fits one block
 * (M ≤ MC: the per-step products, M = the batch), each panel is packed just before its tiles
 * use it and stays in L1; a bigger A packs all of B's block once (KC × N floats, 2 MB for
 * N = 2,048: past L2, which a small A cannot pay back) and reuses it for every block of A. */
int cs_gemm(const float *A, const float *B, float *C, int M, int K, int N, int tA, int tB) {
  if (K == 0) { memset(C, 0, sizeof(float) * (size_t)M * N); return 1; }
  static _Thread_local size_t haveA = 0;
  int npanels = (N + NR - 1) / NR;
  int small = M <= MC;
  if (!grow(&packB, &packBSize, (size_t)(small ? 1 : npanels) * NR * KC) || !grow(&packA, &haveA, (size_t)MC * KC)) return 0;
  for (int pc = 0; pc < K; pc += KC) {
    int kc = K - pc < KC ? K - pc : KC;
    if (!small)
      for (int p = 0; p < npanels; p++) {
        int j0 = p * NR;
        packPanel(B, packB + (size_t)p * NR * kc, K, N, tB, pc, kc, j0, N - j0 < NR ? N - j0 : NR);
      }
    for (int ic = 0; ic < M; ic += MC) {
      int mc = M - ic < MC ? M - ic : MC;
      packRows(A, packA, M, K, tA, pc, kc, ic, mc);
      for (int p = 0; p < npanels; p++) {
        int j0 = p * NR, nr = N - j0 < NR ? N - j0 : NR;
        const float *bp = packB + (small ? 0 : (size_t)p * NR * kc);
        if (small) packPanel(B, packB, K, N, tB, pc, kc, j0, nr);
        for (int ip = 0; ip < mc; ip += MR) {
          int mr = mc - ip < MR ? mc - ip : MR;
          tile(kc, packA + (size_t)ip * kc, bp, C + (size_t)(ic + ip) * N + j0, N, mr, nr, pc > 0);
        }
      }
    }
  }
  return 1;
}

/* All of op(B) packed once, for products that reuse one B many times (the LSTM's Wh at every step):
 * block pc (KC rows of op(B)) starts at pc·P·NR floats, P = ⌈N/NR⌉ panels, each panel kc·NR floats. */
size_t cs_packed_size(int K, int N) { return (size_t)K * ((N + NR - 1) / NR) * NR; }

void cs_pack_b(const float *B, float *dst, int K, int N, int tB) {
  int npanels = (N + NR - 1) / NR;
  for (int pc = 0; pc < K; pc += KC) {
    int kc = K - pc < KC ? K - pc : KC;
    for (int p = 0; p < npanels; p++) {
      int j0 = p * NR;
      packPanel(B, dst + (size_t)pc * npanels * NR + (size_t)p * NR * kc, K, N, tB, pc, kc, j0, N - j0 < NR ? N - j0 : NR);
    }
  }
}

/* C = op(A)·B with B packed by cs_pack_b. Returns 0 on out of memory. */
int cs_gemm_packed(const float *A, const float *packed, float *C, int M, int K, int N, int tA) {
  if (K == 0) { memset(C, 0, sizeof(float) * (size_t)M * N); return 1; }
  static _Thread_local size_t haveA = 0;
  static _Thread_local float *packA2;
  int npanels = (N + NR - 1) / NR;
  if (!grow(&packA2, &haveA, (size_t)MC * KC)) return 0;
  for (int pc = 0; pc < K; pc += KC) {
    int kc = K - pc < KC ? K - pc : KC;
    for (int ic = 0; ic < M; ic += MC) {
      int mc = M - ic < MC ? M - ic : MC;
      packRows(A, packA2, M, K, tA, pc, kc, ic, mc);
      for (int p = 0; p < npanels; p++) {
        int j0 = p * NR, nr = N - j0 < NR ? N - j0 : NR;
        const float *bp = packed + (size_t)pc * npanels * NR + (size_t)p * NR * kc;
        for (int ip = 0; ip < mc; ip += MR) {
          int mr = mc - ip < MR ? mc - ip : MR;
          tile(kc, packA2 + (size_t)ip * kc, bp, C + (size_t)(ic + ip) * N + j0, N, mr, nr, pc > 0);
        }
      }
    }
  }
  return 1;
}

/* Floats per vector in this build (16 with AVX-512, else 8). */
int cs_vector_width(void) { return VW; }
