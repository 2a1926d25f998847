#include <stddef.h>
/* The product in matmul.c, for the other kernels of the addon: C = op(A)·op(B), C M×N, row-major. Returns 0 on out of memory. */
int cs_gemm(const float *A, const float *B, float *C, int M, int K, int N, int tA, int tB);
size_t cs_packed_size(int K, int N);
void cs_pack_b(const float *B, float *dst, int K, int N, int tB);
int cs_gemm_packed(const float *A, const float *packed, float *C, int M, int K, int N, int tA);
int cs_lstm_forward(const float *pre, const float *Wh, const float *h0, const float *c0, float *S, float *C, float *TC, float *Hs, int T, int B, int H, int keepS);
int cs_lstm_backward(const float *S, const float *C, const float *TC, const float *c0, const float *dh, const float *Wh, float *dPre, int T, int B, int H);
