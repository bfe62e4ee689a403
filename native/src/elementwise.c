/* See elementwise.h. Row sums run in float (8 partial sums, vmath.h); mean and variance in two
 * passes, like the ops chain in runtime/model/layer_norm.ts. */
#include "elementwise.h"

#include <math.h>

#include "clones.h"
#include "vmath.h"

#define SQRT1_2 0.70710678118654752f
#define INV_SQRT_2PI 0.39894228040143268f

LPT_CLONES void lpt_layer_norm(size_t rows, size_t cols, const float* x, const float* w, const float* b, float eps,
                               float* y, float* mean, float* rstd) {
  for (size_t r = 0; r < rows; r++) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    const float mu = lpt_sum(xr, cols) / (float)cols;
    for (size_t j = 0; j < cols; j++) yr[j] = xr[j] - mu; /* centred, kept in y for now */
    const float rs = 1.0f / sqrtf(lpt_dot(yr, yr, cols) / (float)cols + eps);
    for (size_t j = 0; j < cols; j++) yr[j] = yr[j] * rs * w[j] + b[j];
    mean[r] = mu;
    rstd[r] = rs;
  }
}

LPT_CLONES void lpt_layer_norm_grad(size_t rows, size_t cols, const float* dy, const float* x, const float* w,
                                    const float* mean, const float* rstd, float* dx) {
  for (size_t r = 0; r < rows; r++) {
    const float* xr = x + r * cols;
    const float* dyr = dy + r * cols;
    float* dxr = dx + r * cols;
    const float mu = mean[r], rs = rstd[r];
    for (size_t j = 0; j < cols; j++) dxr[j] = dyr[j] * w[j]; /* g, kept in dx for now */
    const float mg = lpt_sum(dxr, cols) / (float)cols;
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t j = 0;
    for (; j + 8 <= cols; j += 8)
      for (int l = 0; l < 8; l++) acc[l] += dxr[j + l] * (xr[j + l] - mu);
    float sum_gx = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; j < cols; j++) sum_gx += dxr[j] * (xr[j] - mu);
    const float mgx = sum_gx * rs / (float)cols;
    for (j = 0; j < cols; j++) dxr[j] = rs * (dxr[j] - mg - (xr[j] - mu) * rs * mgx);
  }
}

LPT_CLONES void lpt_gelu(size_t n, const float* x, float* y) {
  for (size_t i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + lpt_erff(x[i] * SQRT1_2));
}

LPT_CLONES void lpt_gelu_with_slope(size_t n, const float* x, float* y, float* slope) {
  for (size_t i = 0; i < n; i++) {
    const float v = x[i];
    const float cdf = 0.5f * (1.0f + lpt_erff(v * SQRT1_2));
    const float pdf = INV_SQRT_2PI * lpt_expf(-0.5f * v * v);
    y[i] = v * cdf;
    slope[i] = cdf + v * pdf;
  }
}

LPT_CLONES void lpt_gelu_grad(size_t n, const float* dy, const float* x, float* dx) {
  for (size_t i = 0; i < n; i++) {
    const float v = x[i];
    const float cdf = 0.5f * (1.0f + lpt_erff(v * SQRT1_2));
    const float pdf = INV_SQRT_2PI * lpt_expf(-0.5f * v * v);
    dx[i] = dy[i] * (cdf + v * pdf);
  }
}

LPT_CLONES void lpt_softmax_rows(size_t rows, size_t cols, float scale, float* s) {
  for (size_t r = 0; r < rows; r++) {
    float* sr = s + r * cols;
    float m = sr[0];
    for (size_t j = 1; j < cols; j++) m = sr[j] > m ? sr[j] : m;
    for (size_t j = 0; j < cols; j++) sr[j] = lpt_expf((sr[j] - m) * scale);
    const float inv = 1.0f / lpt_sum(sr, cols);
    for (size_t j = 0; j < cols; j++) sr[j] *= inv;
  }
}
