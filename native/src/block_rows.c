/* See block_rows.h. */
#include "block_rows.h"

#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "clones.h"
#include "elementwise.h"
#include "gemm.h"
#include "vmath.h"

/* Rows below this run on one thread: starting the team costs more than it saves. */
#define PARALLEL_ROWS 64

void lpt_layer_norm_token_rows(size_t rows, size_t cols, size_t n, size_t l, const float* x, const float* extra,
                               const float* w, const float* b, float eps, float* y, float* mean, float* rstd) {
  const int threads = lpt_parallel_threads();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && rows >= PARALLEL_ROWS)
#endif
  for (long r = 0; r < (long)rows; r++)
    lpt_layer_norm(1, cols, lpt_token_row(x, extra, n, l, cols, (size_t)r), w, b, eps, y + (size_t)r * cols, mean + r,
                   rstd + r);
}

void lpt_layer_norm_grad_rows(size_t rows, size_t cols, const float* dy, const float* x, const float* w,
                              const float* mean, const float* rstd, float* dx) {
  const int threads = lpt_parallel_threads();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && rows >= PARALLEL_ROWS)
#endif
  for (long r = 0; r < (long)rows; r++) {
    const size_t at = (size_t)r * cols;
    lpt_layer_norm_grad(1, cols, dy + at, x + at, w, mean + r, rstd + r, dx + at);
  }
}

void lpt_init_rows(size_t rows, size_t cols, size_t q, size_t n, const float* source, const float* bias, float* c) {
  const int threads = lpt_parallel_threads();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && rows >= PARALLEL_ROWS)
#endif
  for (long r = 0; r < (long)rows; r++) {
    float* out = c + (size_t)r * cols;
    const float* in = source == NULL ? NULL : source + (((size_t)r / q) * n + (size_t)r % q) * cols;
    if (in != NULL && bias != NULL)
      for (size_t j = 0; j < cols; j++) out[j] = in[j] + bias[j];
    else if (in != NULL)
      memcpy(out, in, sizeof(float) * cols);
    else if (bias != NULL)
      memcpy(out, bias, sizeof(float) * cols);
    else
      memset(out, 0, sizeof(float) * cols);
  }
}

void lpt_combine_rows(size_t rows, size_t cols, const float* x, int multiply, float* y) {
  const int threads = lpt_parallel_threads();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && rows >= PARALLEL_ROWS)
#endif
  for (long r = 0; r < (long)rows; r++) {
    const float* xr = x + (size_t)r * cols;
    float* yr = y + (size_t)r * cols;
    if (multiply)
      for (size_t j = 0; j < cols; j++) yr[j] *= xr[j];
    else
      for (size_t j = 0; j < cols; j++) yr[j] += xr[j];
  }
}

#define QUICK_GELU_ALPHA 1.702f

LPT_CLONES static void quick_gelu(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] / (1.0f + lpt_expf(-QUICK_GELU_ALPHA * x[i]));
}

/* y = x sigmoid(a x) and its derivative s + a x s (1 - s) (y may be x). */
LPT_CLONES static void quick_gelu_with_slope(size_t n, const float* x, float* y, float* slope) {
  for (size_t i = 0; i < n; i++) {
    const float v = x[i], s = 1.0f / (1.0f + lpt_expf(-QUICK_GELU_ALPHA * v));
    y[i] = v * s;
    slope[i] = s + QUICK_GELU_ALPHA * v * s * (1.0f - s);
  }
}

/* Rows [*r0, *r1) are chunk c of `chunks` equal shares of `rows` (empty past the end). */
static void row_chunk(long c, long chunks, size_t rows, size_t* r0, size_t* r1) {
  const size_t per = (rows + (size_t)chunks - 1) / (size_t)chunks;
  *r0 = (size_t)c * per < rows ? (size_t)c * per : rows;
  *r1 = *r0 + per < rows ? *r0 + per : rows;
}

void lpt_activate_rows(size_t rows, size_t cols, int quick, const float* x, float* y, float* slope) {
  const long chunks = (long)lpt_parallel_threads();
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads((int)chunks) if (chunks > 1 && rows >= PARALLEL_ROWS)
#endif
  for (long c = 0; c < chunks; c++) {
    size_t r0, r1;
    row_chunk(c, chunks, rows, &r0, &r1);
    const size_t n = (r1 - r0) * cols, at = r0 * cols;
    if (quick && slope != NULL)
      quick_gelu_with_slope(n, x + at, y + at, slope + at);
    else if (quick)
      quick_gelu(n, x + at, y + at);
    else if (slope != NULL)
      lpt_gelu_with_slope(n, x + at, y + at, slope + at);
    else
      lpt_gelu(n, x + at, y + at);
  }
}
