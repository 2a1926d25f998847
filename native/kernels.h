/* The addon's kernels, for addon.c and each other: the product (matmul.c) and the
 * recurrences (lstm.c, gru.c, rnn.c). Row-major; those returning int return 0 on out of memory. */
#include <stddef.h>
#include <stdint.h>

/* C = op(A)·op(B), C M×N. */
int cs_gemm(const float *A, const float *B, float *C, int M, int K, int N, int tA, int tB);
/* Floats per vector in this build. */
int cs_vector_width(void);
/* op(B) packed once for many products with it: its size in floats, the packing, and the product. */
size_t cs_packed_size(int K, int N);
void cs_pack_b(const float *B, float *dst, int K, int N, int tB);
int cs_gemm_packed(const float *A, const float *packed, float *C, int M, int K, int N, int tA);

int cs_lstm_forward(const float *pre, const float *Wh, const float *h0, const float *c0, float *S, float *C, float *TC, float *Hs, int T, int B, int H, int keepS);
int cs_lstm_backward(const float *S, const float *C, const float *TC, const float *c0, const float *dh, const float *Wh, float *dPre, int T, int B, int H);
int cs_gru_forward(const float *pre, const float *Wh, const float *bhn, const float *h0, float *R, float *Z, float *N, float *AN, float *Hs, int T, int B, int H);
int cs_gru_backward(const float *R, const float *Z, const float *N, const float *AN, const float *Hs, const float *h0, const float *dh, const float *Wh, float *dA, float *dPre, int T, int B, int H);
int cs_rnn_forward(const float *pre, const float *Wh, const float *h0, float *Hs, int T, int B, int H);
int cs_rnn_backward(const float *Hs, const float *dh, const float *Wh, float *dPre, int T, int B, int H);
void cs_dropout_rows(uint32_t start, int layer, int steps, int batch, int from, int to, int hidden, uint64_t below, float keep, float *out);
/* Recording (record.c): a stream's rows quantized into the window, and a unit's byte statistics. */
void cs_quantize_rows(const float *src, int64_t r0, int64_t rstep, int count, int H, double lo, double scale, uint8_t *dst, int64_t d0, int64_t stride);
void cs_histogram(const uint8_t *q, int64_t n, uint32_t *h);
int64_t cs_outside(const uint8_t *q, int64_t n, int lo, int hi, int32_t *out, int64_t cap);
int64_t cs_equal(const uint8_t *q, int64_t n, int t, int32_t *out, int64_t max);
