/*
 * The addon's entry points (Node-API): the matrix product (matmul.c) and the
 * recurrences (lstm.c, gru.c, rnn.c), all on Float32Arrays that are views of
 * the tfjs wasm heap, so nothing is copied in or out; the dropout masks
 * (dropout.c); and recording's per-value loops (record.c).
 */
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include "kernels.h"

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

/*
 * The recurrences (lstm.c, gru.c, rnn.c): each takes its arrays, then T, B, H (and the LSTM's
 * forward keepS). Every array's length is checked against its shape before any is read, so a
 * wrong call throws instead of reading past the wasm heap.
 */
enum Kind { ROWS, STEP, SQUARE, VEC, ROWS_IF_FLAG };
typedef struct { enum Kind kind; int k; } Shape; /* ROWS: [T·B, k·H]; STEP: [B, k·H]; SQUARE: [H, k·H]; VEC: [k·H]; ROWS_IF_FLAG: ROWS with the flag, else STEP */
#define MAXA 10
typedef struct { float *p[MAXA]; int64_t T, B, H, flag; } Call;

/* Reads `na` Float32Arrays of the given shapes, then T, B, H (and a flag when `ni` is 4). */
static int unpack(napi_env env, napi_callback_info info, const char *name, int na, int ni, const Shape *shape, Call *c) {
  napi_value argv[MAXA + 4];
  size_t argc = MAXA + 4;
  char msg[160];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if ((int)argc != na + ni) { snprintf(msg, sizeof msg, "%s: expected %d arguments", name, na + ni); fail(env, msg); return 0; }
  size_t len[MAXA];
  for (int i = 0; i < na; i++)
    if (!f32(env, argv[i], &c->p[i], &len[i])) { snprintf(msg, sizeof msg, "%s: the first %d arguments must be Float32Arrays", name, na); fail(env, msg); return 0; }
  int64_t d[4] = {0, 0, 0, 0};
  if (!ints(env, argv, na, ni, d)) { snprintf(msg, sizeof msg, "%s: T, B, H must be integers ≥ 0", name); fail(env, msg); return 0; }
  c->T = d[0], c->B = d[1], c->H = d[2], c->flag = d[3];
  for (int i = 0; i < na; i++) {
    enum Kind kind = shape[i].kind == ROWS_IF_FLAG ? (c->flag ? ROWS : STEP) : shape[i].kind;
    int64_t cols = shape[i].k * c->H;
    int64_t want = kind == ROWS ? c->T * c->B * cols : kind == STEP ? c->B * cols : kind == SQUARE ? c->H * cols : cols;
    if ((int64_t)len[i] < want) { snprintf(msg, sizeof msg, "%s: an array is shorter than its shape", name); fail(env, msg); return 0; }
  }
  return 1;
}

static napi_value oom(napi_env env, const char *name) {
  char msg[80];
  snprintf(msg, sizeof msg, "%s: out of memory", name);
  return fail(env, msg);
}

/* lstmForward(pre, Wh, h0, c0, S, C, TC, Hs, T, B, H, keepS): S is [T·B, 4H] with keepS, else one step's [B, 4H]. */
static napi_value LstmForward(napi_env env, napi_callback_info info) {
  static const Shape shape[] = {{ROWS, 4}, {SQUARE, 4}, {STEP, 1}, {STEP, 1}, {ROWS_IF_FLAG, 4}, {ROWS, 1}, {ROWS, 1}, {ROWS, 1}};
  Call c;
  if (!unpack(env, info, "lstmForward", 8, 4, shape, &c)) return NULL;
  if (!cs_lstm_forward(c.p[0], c.p[1], c.p[2], c.p[3], c.p[4], c.p[5], c.p[6], c.p[7], (int)c.T, (int)c.B, (int)c.H, c.flag != 0)) return oom(env, "lstmForward");
  return NULL;
}

/* lstmBackward(S, C, TC, c0, dh, Wh, dPre, T, B, H) */
static napi_value LstmBackward(napi_env env, napi_callback_info info) {
  static const Shape shape[] = {{ROWS, 4}, {ROWS, 1}, {ROWS, 1}, {STEP, 1}, {ROWS, 1}, {SQUARE, 4}, {ROWS, 4}};
  Call c;
  if (!unpack(env, info, "lstmBackward", 7, 3, shape, &c)) return NULL;
  if (!cs_lstm_backward(c.p[0], c.p[1], c.p[2], c.p[3], c.p[4], c.p[5], c.p[6], (int)c.T, (int)c.B, (int)c.H)) return oom(env, "lstmBackward");
  return NULL;
}

/* gruForward(pre, Wh, bhn, h0, R, Z, N, AN, Hs, T, B, H) */
static napi_value GruForward(napi_env env, napi_callback_info info) {
  static const Shape shape[] = {{ROWS, 3}, {SQUARE, 3}, {VEC, 1}, {STEP, 1}, {ROWS, 1}, {ROWS, 1}, {ROWS, 1}, {ROWS, 1}, {ROWS, 1}};
  Call c;
  if (!unpack(env, info, "gruForward", 9, 3, shape, &c)) return NULL;
  if (!cs_gru_forward(c.p[0], c.p[1], c.p[2], c.p[3], c.p[4], c.p[5], c.p[6], c.p[7], c.p[8], (int)c.T, (int)c.B, (int)c.H)) return oom(env, "gruForward");
  return NULL;
}

/* gruBackward(R, Z, N, AN, Hs, h0, dh, Wh, dA, dPre, T, B, H) */
static napi_value GruBackward(napi_env env, napi_callback_info info) {
  static const Shape shape[] = {{ROWS, 1}, {ROWS, 1}, {ROWS, 1}, {ROWS, 1}, {ROWS, 1}, {STEP, 1}, {ROWS, 1}, {SQUARE, 3}, {ROWS, 3}, {ROWS, 3}};
  Call c;
  if (!unpack(env, info, "gruBackward", 10, 3, shape, &c)) return NULL;
  if (!cs_gru_backward(c.p[0], c.p[1], c.p[2], c.p[3], c.p[4], c.p[5], c.p[6], c.p[7], c.p[8], c.p[9], (int)c.T, (int)c.B, (int)c.H)) return oom(env, "gruBackward");
  return NULL;
}

/* rnnForward(pre, Wh, h0, Hs, T, B, H) */
static napi_value RnnForward(napi_env env, napi_callback_info info) {
  static const Shape shape[] = {{ROWS, 1}, {SQUARE, 1}, {STEP, 1}, {ROWS, 1}};
  Call c;
  if (!unpack(env, info, "rnnForward", 4, 3, shape, &c)) return NULL;
  if (!cs_rnn_forward(c.p[0], c.p[1], c.p[2], c.p[3], (int)c.T, (int)c.B, (int)c.H)) return oom(env, "rnnForward");
  return NULL;
}

/* rnnBackward(Hs, dh, Wh, dPre, T, B, H) */
static napi_value RnnBackward(napi_env env, napi_callback_info info) {
  static const Shape shape[] = {{ROWS, 1}, {ROWS, 1}, {SQUARE, 1}, {ROWS, 1}};
  Call c;
  if (!unpack(env, info, "rnnBackward", 4, 3, shape, &c)) return NULL;
  if (!cs_rnn_backward(c.p[0], c.p[1], c.p[2], c.p[3], (int)c.T, (int)c.B, (int)c.H)) return oom(env, "rnnBackward");
  return NULL;
}

/* dropoutRows(out: Float32Array, start, layer, steps, batch, from, to, hidden, p, keep): see dropout.c. */
static napi_value DropoutRows(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 10) return fail(env, "dropoutRows: expected 10 arguments");
  float *out;
  size_t len;
  if (!f32(env, argv[0], &out, &len)) return fail(env, "dropoutRows: out must be a Float32Array");
  int64_t d[7];
  for (int i = 0; i < 7; i++)
    if (napi_get_value_int64(env, argv[1 + i], &d[i]) != napi_ok || d[i] < 0 || d[i] > 0xffffffffLL) return fail(env, "dropoutRows: start, layer, steps, batch, from, to, hidden must be integers ≥ 0");
  double p, keep;
  if (napi_get_value_double(env, argv[8], &p) != napi_ok || napi_get_value_double(env, argv[9], &keep) != napi_ok || !(p >= 0 && p < 1)) return fail(env, "dropoutRows: p must be in [0, 1)");
  int64_t steps = d[2], batch = d[3], from = d[4], to = d[5], hidden = d[6];
  if (from > to || to > batch || steps * (to - from) * hidden > (int64_t)len) return fail(env, "dropoutRows: an array is shorter than its shape");
  /* u < p·2³² ⟺ u < ⌈p·2³²⌉ for an integer u: the JavaScript comparison, in integers. */
  double below = p * 4294967296.0;
  uint64_t ceilBelow = (uint64_t)below;
  if ((double)ceilBelow < below) ceilBelow++;
  cs_dropout_rows((uint32_t)d[0], (int)d[1], (int)steps, (int)batch, (int)from, (int)to, (int)hidden, ceilBelow, (float)keep, out);
  return NULL;
}

/* A typed array of the given type: its data and length in elements. */
static int typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len) {
  napi_typedarray_type type;
  napi_value buf;
  size_t off;
  return napi_get_typedarray_info(env, v, &type, len, data, &buf, &off) == napi_ok && type == want;
}

/* Reads argv[i] as an integer in [0, 2^40]. */
static int count(napi_env env, napi_value v, int64_t *out) {
  return napi_get_value_int64(env, v, out) == napi_ok && *out >= 0 && *out <= (1LL << 40);
}

/* quantizeRows(src: Float32Array, r0, rstep, count, H, lo, scale, dst: Uint8Array, d0, stride): see record.c. */
static napi_value QuantizeRows(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 10) return fail(env, "quantizeRows: expected 10 arguments");
  void *src, *dst;
  size_t ls, ld;
  if (!typed(env, argv[0], napi_float32_array, &src, &ls) || !typed(env, argv[7], napi_uint8_array, &dst, &ld)) return fail(env, "quantizeRows: src must be a Float32Array and dst a Uint8Array");
  int64_t r0, rstep, n, H, d0, stride;
  if (!count(env, argv[1], &r0) || !count(env, argv[2], &rstep) || !count(env, argv[3], &n) || !count(env, argv[4], &H) || !count(env, argv[8], &d0) || !count(env, argv[9], &stride) || n > (1 << 30) || H > (1 << 30))
    return fail(env, "quantizeRows: offsets and sizes must be integers ≥ 0");
  double lo, scale;
  if (napi_get_value_double(env, argv[5], &lo) != napi_ok || napi_get_value_double(env, argv[6], &scale) != napi_ok) return fail(env, "quantizeRows: lo and scale must be numbers");
  if (n == 0 || H == 0) return NULL;
  if ((r0 + (n - 1) * rstep + 1) * H > (int64_t)ls || d0 + (H - 1) * stride + n > (int64_t)ld || stride < n) return fail(env, "quantizeRows: an array is shorter than its shape");
  cs_quantize_rows(src, r0, rstep, (int)n, (int)H, lo, scale, dst, d0, stride);
  return NULL;
}

/* histogram(q: Uint8Array, h: Uint32Array of 256): see record.c. */
static napi_value Histogram(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *q, *h;
  size_t lq, lh;
  if (argc != 2 || !typed(env, argv[0], napi_uint8_array, &q, &lq) || !typed(env, argv[1], napi_uint32_array, &h, &lh) || lh < 256) return fail(env, "histogram: expected a Uint8Array and a Uint32Array of 256");
  cs_histogram(q, (int64_t)lq, h);
  return NULL;
}

/* outside(q: Uint8Array, lo, hi, out: Int32Array): how many positions it wrote, or -1 when out is too short. See record.c. */
static napi_value Outside(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], r;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *q, *out;
  size_t lq, lo_;
  int64_t lo, hi;
  if (argc != 4 || !typed(env, argv[0], napi_uint8_array, &q, &lq) || !count(env, argv[1], &lo) || !count(env, argv[2], &hi) || !typed(env, argv[3], napi_int32_array, &out, &lo_) || lo > 255 || hi > 255)
    return fail(env, "outside: expected a Uint8Array, two bytes and an Int32Array");
  napi_create_int64(env, cs_outside(q, (int64_t)lq, (int)lo, (int)hi, out, (int64_t)lo_), &r);
  return r;
}

/* equal(q: Uint8Array, t, out: Int32Array): the first out.length positions of byte t; how many. See record.c. */
static napi_value Equal(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], r;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *q, *out;
  size_t lq, lo;
  int64_t t;
  if (argc != 3 || !typed(env, argv[0], napi_uint8_array, &q, &lq) || !count(env, argv[1], &t) || !typed(env, argv[2], napi_int32_array, &out, &lo) || t > 255)
    return fail(env, "equal: expected a Uint8Array, a byte and an Int32Array");
  napi_create_int64(env, cs_equal(q, (int64_t)lq, (int)t, out, (int64_t)lo), &r);
  return r;
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
  static const struct { const char *name; napi_callback fn; } fns[] = {
    {"lstmForward", LstmForward}, {"lstmBackward", LstmBackward}, {"gruForward", GruForward},
    {"gruBackward", GruBackward}, {"rnnForward", RnnForward}, {"rnnBackward", RnnBackward},
    {"dropoutRows", DropoutRows}, {"quantizeRows", QuantizeRows}, {"histogram", Histogram},
    {"outside", Outside}, {"equal", Equal},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &fn);
    napi_set_named_property(env, exports, fns[i].name, fn);
  }
  napi_create_int32(env, cs_vector_width(), &width);
  napi_set_named_property(env, exports, "vectorWidth", width);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
