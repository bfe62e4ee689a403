/* See attention.h. */
#include "attention.h"

#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "clones.h"
#include "elementwise.h"
#include "gemm.h"
#include "vmath.h"

void lpt_attention(const LptAttentionShape* s, const float* qkv, float* out, float* probs) {
  const int n = (int)s->tokens, nq = (int)s->queries, hd = (int)s->head_dim;
  const int dim = (int)(s->heads * s->head_dim), ld = 3 * dim;
  const long pairs = (long)(s->batch * s->heads);
  const int threads = lpt_parallel_threads();
  lpt_gemm_enter_parallel();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (pairs > 1)
#endif
  for (long bh = 0; bh < pairs; bh++) {
    const size_t b = (size_t)bh / s->heads, h = (size_t)bh % s->heads;
    const float* q = qkv + b * s->tokens * (size_t)ld + h * s->head_dim;
    const float* k = q + dim;
    const float* v = q + 2 * dim;
    float* p = probs + (size_t)bh * s->queries * s->tokens;
    lpt_sgemm(0, 1, nq, n, hd, q, ld, k, ld, 0.0f, p, n);
    lpt_softmax_rows(s->queries, s->tokens, s->scale, p);
    lpt_sgemm(0, 0, nq, hd, n, p, n, v, ld, 0.0f, out + b * s->queries * (size_t)dim + h * s->head_dim, dim);
  }
  lpt_gemm_leave_parallel();
}

/* ds = p * (dp - rowsum(dp * p)) * scale, in place on dp ([rows, cols]). */
LPT_CLONES static void softmax_grad(size_t rows, size_t cols, float scale, const float* p, float* dp) {
  for (size_t r = 0; r < rows; r++) {
    const float* pr = p + r * cols;
    float* dr = dp + r * cols;
    const float dot = lpt_dot(dr, pr, cols);
    for (size_t j = 0; j < cols; j++) dr[j] = pr[j] * (dr[j] - dot) * scale;
  }
}

void lpt_attention_grad(const LptAttentionShape* s, const float* dy, const float* qkv, const float* probs, float* dqkv,
                        float* scratch) {
  const int n = (int)s->tokens, nq = (int)s->queries, hd = (int)s->head_dim;
  const int dim = (int)(s->heads * s->head_dim), ld = 3 * dim;
  const long pairs = (long)(s->batch * s->heads);
  const int threads = lpt_parallel_threads();
  lpt_gemm_enter_parallel();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (pairs > 1)
#endif
  for (long bh = 0; bh < pairs; bh++) {
    const size_t b = (size_t)bh / s->heads, h = (size_t)bh % s->heads;
#ifdef _OPENMP
    float* own = scratch + (size_t)omp_get_thread_num() * s->queries * s->tokens;
#else
    float* own = scratch;
#endif
    const size_t base = b * s->tokens * (size_t)ld + h * s->head_dim;
    const float *q = qkv + base, *k = q + dim, *v = q + 2 * dim;
    float *dq = dqkv + base, *dk = dq + dim, *dv = dq + 2 * dim;
    const float* p = probs + (size_t)bh * s->queries * s->tokens;
    const float* dout = dy + b * s->queries * (size_t)dim + h * s->head_dim;
    lpt_sgemm(0, 1, nq, n, hd, dout, dim, v, ld, 0.0f, own, n); /* dP = dO v^T   [Q, N] */
    lpt_sgemm(1, 0, n, hd, nq, p, n, dout, dim, 0.0f, dv, ld);  /* dV = P^T dO   [N, hd] */
    softmax_grad(s->queries, s->tokens, s->scale, p, own);      /* dS            [Q, N] */
    lpt_sgemm(0, 0, nq, hd, n, own, n, k, ld, 0.0f, dq, ld);    /* dQ = dS k     [Q, hd] */
    lpt_sgemm(1, 0, n, hd, nq, own, n, q, ld, 0.0f, dk, ld);    /* dK = dS^T q   [N, hd] */
    for (size_t t = s->queries; t < s->tokens; t++) memset(dq + t * (size_t)ld, 0, sizeof(float) * s->head_dim);
  }
  lpt_gemm_leave_parallel();
}
