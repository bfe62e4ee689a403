/* See block.h. Each step is the kernel the per-op path runs (elementwise.c, attention.c, the
 * BLAS), in the same order, so the result matches it to float rounding; the row-wise steps are
 * split between the threads (block_rows.c). */
#include "block.h"

#include <math.h>

#include "attention.h"
#include "block_rows.h"
#include "gemm.h"


size_t lpt_block_scratch(const LptBlockShape* s, int saving) {
  const size_t t = s->tokens + s->extra, rows_all = s->batch * t, rows = s->batch * s->queries;
  const size_t always = rows_all * s->dim /* LN1([x; extra]) */ + rows * s->dim /* attention output, then LN2 */
                        + rows * s->hidden; /* fc1, activated in place */
  if (saving) return always;
  return always + rows_all * 3 * s->dim        /* qkv */
         + s->batch * s->heads * s->queries * t /* attention probabilities */
         + 2 * rows_all;                        /* LayerNorm means and reciprocal deviations */
}

/* c [rows, n] += a [rows, k] w [k, n]. */
static void accumulate_product(size_t rows, size_t n, size_t k, const float* a, const float* w, float* c) {
  lpt_sgemm(0, 0, (int)rows, (int)n, (int)k, a, (int)k, w, (int)n, 1.0f, c, (int)n);
}

void lpt_block_forward(const LptBlockShape* s, const LptBlockWeights* w, const float* x, const float* extra, float* out,
                       const LptBlockSaved* saved, float* scratch) {
  const size_t B = s->batch, N = s->tokens, Q = s->queries, L = s->extra, T = N + L, D = s->dim;
  const size_t rows_all = B * T, rows = B * Q;
  float* normed = scratch;
  float* attended = normed + rows_all * D;
  float* act = attended + rows * D;
  float *qkv, *probs, *y, *slope, *mean1, *rstd1, *mean2, *rstd2;
  if (saved != NULL) {
    qkv = saved->qkv, probs = saved->probs, y = saved->y, slope = saved->slope;
    mean1 = saved->mean1, rstd1 = saved->rstd1, mean2 = saved->mean2, rstd2 = saved->rstd2;
  } else {
    qkv = act + rows * s->hidden;
    probs = qkv + rows_all * 3 * D;
    mean1 = mean2 = probs + B * s->heads * Q * T;
    rstd1 = rstd2 = mean1 + rows_all;
    y = out; /* the residual stream is built in place */
    slope = NULL;
  }

  /* Each product accumulates onto rows already holding its bias (and residual): one pass over
   * the output, split over the threads, instead of a pass to clear it and another to add them. */
  lpt_layer_norm_token_rows(rows_all, D, N, L, x, extra, w->ln1_w, w->ln1_b, s->eps1, normed, mean1, rstd1);
  lpt_init_rows(rows_all, 3 * D, 1, 1, NULL, w->qkv_b, qkv);
  accumulate_product(rows_all, 3 * D, D, normed, w->qkv_w, qkv);
  const LptAttentionShape shape = {B, T, Q, s->heads, D / s->heads, 1.0f / sqrtf((float)(D / s->heads))};
  lpt_attention(&shape, qkv, attended, probs);

  /* y = x's first Q tokens + proj(attended); out = y + fc2(act(fc1(LN2(y)))). */
  lpt_init_rows(rows, D, Q, N, x, w->proj_b, y);
  accumulate_product(rows, D, D, attended, w->proj_w, y);
  lpt_layer_norm_token_rows(rows, D, Q, 0, y, NULL, w->ln2_w, w->ln2_b, s->eps2, attended, mean2, rstd2);
  lpt_init_rows(rows, s->hidden, 1, 1, NULL, w->fc1_b, act);
  accumulate_product(rows, s->hidden, D, attended, w->fc1_w, act);
  lpt_activate_rows(rows, s->hidden, s->quick_gelu, act, act, slope);
  if (y != out || w->fc2_b != NULL) lpt_init_rows(rows, D, 1, 1, y, w->fc2_b, out); /* in place when y is out */
  accumulate_product(rows, D, s->hidden, act, w->fc2_w, out);
}
