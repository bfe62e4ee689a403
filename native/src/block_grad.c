/* See block.h: the block's input gradient, the chain rule of lpt_block_forward from the end:
 * fc2, the activation, fc1, LN2 (plus the residual), proj, the attention core, qkv, LN1 (plus
 * the residual to x's first Q tokens). Weights are [in, out], so each input gradient is
 * dOut [rows, out] x W^T, one BLAS call with the second operand transposed. */
#include "block.h"

#include <math.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "attention.h"
#include "block_rows.h"
#include "elementwise.h"
#include "gemm.h"

size_t lpt_block_grad_scratch(const LptBlockShape* s) {
  const size_t t = s->tokens + s->extra, rows_all = s->batch * t, rows = s->batch * s->queries;
  return rows * s->hidden                                            /* d activation, then d fc1 output */
         + 2 * rows * s->dim                                         /* d LN2 input, then d attention output; dY */
         + rows_all * 3 * s->dim                                     /* d qkv */
         + s->batch * s->extra * 3 * s->dim                          /* extra's rows of it */
         + rows_all * s->dim                                         /* d LN1 output */
         + (size_t)lpt_parallel_threads() * s->queries * t;          /* the attention gradient's per-thread rows */
}

/* dx [rows, k] = dy [rows, n] w^T for w [k, n]. */
static void input_grad(size_t rows, size_t k, size_t n, const float* dy, const float* w, float* dx) {
  lpt_sgemm(0, 1, (int)rows, (int)k, (int)n, dy, (int)n, w, (int)n, 0.0f, dx, (int)k);
}

/* x frozen: extra's rows of d qkv alone go back through the qkv projection and LN1 into dextra. */
static void extra_rows_backward(const LptBlockShape* s, const LptBlockWeights* w, const float* extra,
                                const LptBlockSaved* saved, const float* d_qkv, float* dextra, float* d_qkv_extra,
                                float* d_norm1) {
  const size_t B = s->batch, N = s->tokens, L = s->extra, T = N + L, D = s->dim;
  for (size_t b = 0; b < B; b++)
    memcpy(d_qkv_extra + b * L * 3 * D, d_qkv + (b * T + N) * 3 * D, sizeof(float) * L * 3 * D);
  input_grad(B * L, D, 3 * D, d_qkv_extra, w->qkv_w, d_norm1);
  const int threads = lpt_parallel_threads();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && B * L >= 64)
#endif
  for (long r = 0; r < (long)(B * L); r++) {
    const size_t at = ((size_t)r / L) * T + N + (size_t)r % L; /* its row among [x; extra]'s */
    lpt_layer_norm_grad(1, D, d_norm1 + (size_t)r * D, extra + (size_t)r * D, w->ln1_w, saved->mean1 + at,
                        saved->rstd1 + at, dextra + (size_t)r * D);
  }
}

/* Every row of d qkv back through the qkv projection and LN1: x's rows into dx (plus the residual's
 * d_y for its first Q tokens), extra's into dextra unless NULL. */
static void all_rows_backward(const LptBlockShape* s, const LptBlockWeights* w, const float* x, const float* extra,
                              const LptBlockSaved* saved, const float* d_qkv, const float* d_y, float* dx,
                              float* dextra, float* d_norm1) {
  const size_t B = s->batch, N = s->tokens, Q = s->queries, L = s->extra, T = N + L, D = s->dim;
  const size_t rows_all = B * T;
  input_grad(rows_all, D, 3 * D, d_qkv, w->qkv_w, d_norm1);
  const int threads = lpt_parallel_threads();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && rows_all >= 64)
#endif
  for (long r = 0; r < (long)rows_all; r++) {
    const size_t img = (size_t)r / T, tok = (size_t)r % T;
    const float* in = lpt_token_row(x, extra, N, L, D, (size_t)r);
    const float* d_in = d_norm1 + (size_t)r * D;
    if (tok >= N) {
      if (dextra != NULL)
        lpt_layer_norm_grad(1, D, d_in, in, w->ln1_w, saved->mean1 + r, saved->rstd1 + r,
                            dextra + (img * L + tok - N) * D);
      continue;
    }
    float* out = dx + (img * N + tok) * D;
    lpt_layer_norm_grad(1, D, d_in, in, w->ln1_w, saved->mean1 + r, saved->rstd1 + r, out);
    /* The residual carries dY to x's first Q tokens; the others reach the output through attention only. */
    if (tok < Q)
      for (size_t j = 0; j < D; j++) out[j] += d_y[(img * Q + tok) * D + j];
  }
}

void lpt_block_backward(const LptBlockShape* s, const LptBlockWeights* w, const float* x, const float* extra,
                        const LptBlockSaved* saved, const float* dy, float* dx, float* dextra, float* scratch) {
  const size_t B = s->batch, Q = s->queries, L = s->extra, T = s->tokens + L, D = s->dim, H = s->hidden;
  const size_t rows_all = B * T, rows = B * Q;
  float* d_hidden = scratch;
  float* d_norm2 = d_hidden + rows * H; /* then the attention output's gradient */
  float* d_y = d_norm2 + rows * D;
  float* d_qkv = d_y + rows * D;
  float* d_qkv_extra = d_qkv + rows_all * 3 * D;
  float* d_norm1 = d_qkv_extra + B * L * 3 * D;
  float* attention_rows = d_norm1 + rows_all * D;

  input_grad(rows, H, D, dy, w->fc2_w, d_hidden);
  lpt_combine_rows(rows, H, saved->slope, 1, d_hidden);
  input_grad(rows, D, H, d_hidden, w->fc1_w, d_norm2);
  lpt_layer_norm_grad_rows(rows, D, d_norm2, saved->y, w->ln2_w, saved->mean2, saved->rstd2, d_y);
  lpt_combine_rows(rows, D, dy, 0, d_y);
  float* d_attended = d_norm2;
  input_grad(rows, D, D, d_y, w->proj_w, d_attended);
  const LptAttentionShape shape = {B, T, Q, s->heads, D / s->heads, 1.0f / sqrtf((float)(D / s->heads))};
  lpt_attention_grad(&shape, d_attended, saved->qkv, saved->probs, d_qkv, attention_rows);
  if (dx != NULL)
    all_rows_backward(s, w, x, extra, saved, d_qkv, d_y, dx, dextra, d_norm1);
  else if (dextra != NULL && L > 0)
    extra_rows_backward(s, w, extra, saved, d_qkv, dextra, d_qkv_extra, d_norm1);
}
