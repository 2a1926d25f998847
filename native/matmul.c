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
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include "gemm.h"

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

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_error(env, "CELLSCOPE_NATIVE", msg);
  return NULL;
}

static int f32(napi_env env, napi_value v, float **data, size_t *len) {
  napi_typedarray_type type;
  void *p;
  napi_value buf;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, len, &p, &buf, &off) != napi_ok || type != napi_float32_array) return 0;
  *data = p;
  return 1;
}

/* matmul(a, b, c: Float32Array, batchA, batchB, M, K, N, transposeA, transposeB): c = op(a)·op(b) per batch, a or b broadcast when its batch is 1. */
static napi_value Matmul(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 10) return fail(env, "matmul: expected 10 arguments");
  float *a, *b, *c;
  size_t la, lb, lc;
  if (!f32(env, argv[0], &a, &la) || !f32(env, argv[1], &b, &lb) || !f32(env, argv[2], &c, &lc)) return fail(env, "matmul: a, b and c must be Float32Arrays");
  int64_t d[5];
  for (int i = 0; i < 5; i++)
    if (napi_get_value_int64(env, argv[3 + i], &d[i]) != napi_ok || d[i] < 0 || d[i] > (1 << 30)) return fail(env, "matmul: sizes must be integers ≥ 0");
  bool tA, tB;
  if (napi_get_value_bool(env, argv[8], &tA) != napi_ok || napi_get_value_bool(env, argv[9], &tB) != napi_ok) return fail(env, "matmul: transposes must be booleans");
  int64_t bA = d[0], bB = d[1], M = d[2], K = d[3], N = d[4], batch = bA > bB ? bA : bB;
  if ((bA != batch && bA != 1) || (bB != batch && bB != 1)) return fail(env, "matmul: batches must match or be 1");
  if ((int64_t)la < bA * M * K || (int64_t)lb < bB * K * N || (int64_t)lc < batch * M * N) return fail(env, "matmul: an array is shorter than its shape");
  for (int64_t i = 0; i < batch; i++) {
    if (!cs_gemm(a + (bA == 1 ? 0 : i * M * K), b + (bB == 1 ? 0 : i * K * N), c + i * M * N, (int)M, (int)K, (int)N, tA, tB)) return fail(env, "matmul: out of memory");
  }
  return NULL;
}

/* Reads argv[from..from+n) as integers in [0, 2^30]. */
static int ints(napi_env env, napi_value *argv, int from, int n, int64_t *out) {
  for (int i = 0; i < n; i++)
    if (napi_get_value_int64(env, argv[from + i], &out[i]) != napi_ok || out[i] < 0 || out[i] > (1 << 30)) return 0;
  return 1;
}

/* lstmForward(pre, Wh, h0, c0, S, C, TC, Hs: Float32Array, T, B, H, keepS): see lstm.c. */
static napi_value LstmForward(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 12) return fail(env, "lstmForward: expected 12 arguments");
  float *p[8];
  size_t len[8];
  for (int i = 0; i < 8; i++)
    if (!f32(env, argv[i], &p[i], &len[i])) return fail(env, "lstmForward: the first 8 arguments must be Float32Arrays");
  int64_t d[4];
  if (!ints(env, argv, 8, 4, d)) return fail(env, "lstmForward: T, B, H, keepS must be integers ≥ 0");
  int64_t T = d[0], B = d[1], H = d[2], keepS = d[3] != 0, G = 4 * H;
  int64_t want[8] = {T * B * G, H * G, B * H, B * H, (keepS ? T : 1) * B * G, T * B * H, T * B * H, T * B * H};
  for (int i = 0; i < 8; i++)
    if ((int64_t)len[i] < want[i]) return fail(env, "lstmForward: an array is shorter than its shape");
  if (!cs_lstm_forward(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], (int)T, (int)B, (int)H, (int)keepS)) return fail(env, "lstmForward: out of memory");
  return NULL;
}

/* lstmBackward(S, C, TC, c0, dh, Wh, dPre: Float32Array, T, B, H): see lstm.c. */
static napi_value LstmBackward(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 10) return fail(env, "lstmBackward: expected 10 arguments");
  float *p[7];
  size_t len[7];
  for (int i = 0; i < 7; i++)
    if (!f32(env, argv[i], &p[i], &len[i])) return fail(env, "lstmBackward: the first 7 arguments must be Float32Arrays");
  int64_t d[3];
  if (!ints(env, argv, 7, 3, d)) return fail(env, "lstmBackward: T, B, H must be integers ≥ 0");
  int64_t T = d[0], B = d[1], H = d[2], G = 4 * H;
  int64_t want[7] = {T * B * G, T * B * H, T * B * H, B * H, T * B * H, H * G, T * B * G};
  for (int i = 0; i < 7; i++)
    if ((int64_t)len[i] < want[i]) return fail(env, "lstmBackward: an array is shorter than its shape");
  if (!cs_lstm_backward(p[0], p[1], p[2], p[3], p[4], p[5], p[6], (int)T, (int)B, (int)H)) return fail(env, "lstmBackward: out of memory");
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  /* Built with -march=native: a build copied to an older CPU would die on its
     first wide instruction, so refuse to load there and let the wasm product run. */
#if defined(__AVX512F__)
  if (!__builtin_cpu_supports("avx512f")) return fail(env, "built for AVX-512, which this CPU lacks: run npm rebuild");
#elif defined(__AVX2__)
  if (!__builtin_cpu_supports("avx2")) return fail(env, "built for AVX2, which this CPU lacks: run npm rebuild");
#endif
#if defined(__FMA__)
  if (!__builtin_cpu_supports("fma")) return fail(env, "built for FMA, which this CPU lacks: run npm rebuild");
#endif
  napi_value fn, width;
  napi_create_function(env, "matmul", NAPI_AUTO_LENGTH, Matmul, NULL, &fn);
  napi_set_named_property(env, exports, "matmul", fn);
  napi_create_function(env, "lstmForward", NAPI_AUTO_LENGTH, LstmForward, NULL, &fn);
  napi_set_named_property(env, exports, "lstmForward", fn);
  napi_create_function(env, "lstmBackward", NAPI_AUTO_LENGTH, LstmBackward, NULL, &fn);
  napi_set_named_property(env, exports, "lstmBackward", fn);
  napi_create_int32(env, VW, &width);
  napi_set_named_property(env, exports, "vectorWidth", width);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
