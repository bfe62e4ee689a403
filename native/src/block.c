/* See block.h. Each step is the kernel the per-op path runs (elementwise.c, attention.c, the
 * BLAS), in the same order, so the result matches it to float rounding; LayerNorm and the
 * activation are split over rows between the threads. */
#include "block.h"

#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "attention.h"
#include "clones.h"
#include "elementwise.h"
#include "gemm.h"
#include "vmath.h"

size_t lpt_block_scratch(const LptBlockShape* s) {
  const size_t t = s->tokens + s->extra, rows_all = s->batch * t, rows = s->batch * s->queries;
  return rows_all * s->dim            /* LN1([x; extra]) */
         + rows_all * 3 * s->dim      /* qkv */
         + s->batch * s->heads * s->queries * t /* attention probabilities */
         + rows * s->dim              /* attention output, then LN2 */
         + rows * s->hidden           /* fc1, activated */
         + 2 * rows_all;              /* LayerNorm means and reciprocal deviations */
}

/* LayerNorm of `rows` rows of width `cols`, split over the threads. Row r is read from
 * x + r * cols, or, with `extra` (L > 0), from image r / T's N tokens in x and then its L tokens
 * in extra, so that [x; extra] is never concatenated. */
static void layer_norm_rows(size_t rows, size_t cols, size_t n, size_t l, const float* x, const float* extra,
                            const float* w, const float* b, float eps, float* y, float* mean, float* rstd) {
  const size_t t = n + l;
  const int threads = lpt_parallel_threads();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && rows >= 64)
#endif
  for (long r = 0; r < (long)rows; r++) {
    const size_t img = (size_t)r / t, tok = (size_t)r % t;
    const float* src = tok < n ? x + (img * n + tok) * cols : extra + (img * l + tok - n) * cols;
    lpt_layer_norm(1, cols, src, w, b, eps, y + (size_t)r * cols, mean + r, rstd + r);
  }
}

LPT_CLONES static void quick_gelu(size_t n, float* x) {
  for (size_t i = 0; i < n; i++) x[i] = x[i] / (1.0f + lpt_expf(-1.702f * x[i]));
}

static void activate_rows(size_t rows, size_t cols, int quick, float* x) {
  const long chunks = (long)lpt_parallel_threads();
  const size_t per = (rows + (size_t)chunks - 1) / (size_t)chunks;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads((int)chunks) if (chunks > 1 && rows >= 64)
#endif
  for (long c = 0; c < chunks; c++) {
    const size_t r0 = (size_t)c * per, r1 = r0 + per < rows ? r0 + per : rows;
    if (r0 >= r1) continue;
    if (quick)
      quick_gelu((r1 - r0) * cols, x + r0 * cols);
    else
      lpt_gelu((r1 - r0) * cols, x + r0 * cols, x + r0 * cols);
  }
}

/* c [rows, n] = (init) + a [rows, k] w [k, n] + bias; init is c's current contents when `accumulate`. */
static void linear(size_t rows, size_t n, size_t k, const float* a, const float* w, const float* bias, int accumulate,
                   float* c) {
  if (!accumulate) {
    if (bias != NULL)
      for (size_t r = 0; r < rows; r++) memcpy(c + r * n, bias, sizeof(float) * n);
    else
      memset(c, 0, sizeof(float) * rows * n);
  } else if (bias != NULL) {
    for (size_t r = 0; r < rows; r++)
      for (size_t j = 0; j < n; j++) c[r * n + j] += bias[j];
  }
  lpt_sgemm(0, 0, (int)rows, (int)n, (int)k, a, (int)k, w, (int)n, 1.0f, c, (int)n);
}

void lpt_block_forward(const LptBlockShape* s, const LptBlockWeights* w, const float* x, const float* extra, float* out,
                       float* scratch) {
  const size_t B = s->batch, N = s->tokens, Q = s->queries, L = s->extra, T = N + L, D = s->dim;
  const size_t rows_all = B * T, rows = B * Q;
  float* normed = scratch;
  float* qkv = normed + rows_all * D;
  float* probs = qkv + rows_all * 3 * D;
  float* attended = probs + B * s->heads * Q * T;
  float* hidden = attended + rows * D;
  float* mean = hidden + rows * s->hidden;
  float* rstd = mean + rows_all;

  layer_norm_rows(rows_all, D, N, L, x, extra, w->ln1_w, w->ln1_b, s->eps1, normed, mean, rstd);
  linear(rows_all, 3 * D, D, normed, w->qkv_w, w->qkv_b, 0, qkv);
  const LptAttentionShape shape = {B, T, Q, s->heads, D / s->heads, 1.0f / sqrtf((float)(D / s->heads))};
  lpt_attention(&shape, qkv, attended, probs);

  /* out = x's first Q tokens + proj(attended); then out += fc2(act(fc1(LN2(out)))). */
  for (size_t b = 0; b < B; b++) memcpy(out + b * Q * D, x + b * N * D, sizeof(float) * Q * D);
  linear(rows, D, D, attended, w->proj_w, w->proj_b, 1, out);
  layer_norm_rows(rows, D, Q, 0, out, NULL, w->ln2_w, w->ln2_b, s->eps2, attended, mean, rstd);
  linear(rows, s->hidden, D, attended, w->fc1_w, w->fc1_b, 0, hidden);
  activate_rows(rows, s->hidden, s->quick_gelu, hidden);
  linear(rows, D, s->hidden, hidden, w->fc2_w, w->fc2_b, 1, out);
}
