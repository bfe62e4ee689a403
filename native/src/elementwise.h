/* Fused elementwise kernels of the lpt native addon: LayerNorm over the last axis, exact GELU,
 * and their input gradients (the backbone is frozen: no weight gradients). Row-major, on the
 * caller's buffers. Each replaces a chain of tfjs ops that would pass over the data many times. */
#ifndef LPT_ELEMENTWISE_H
#define LPT_ELEMENTWISE_H

#include <stddef.h>

/* y = (x - mean) * rstd * w + b per row; mean, rstd [rows] saved for the gradient. */
void lpt_layer_norm(size_t rows, size_t cols, const float* x, const float* w, const float* b, float eps, float* y,
                    float* mean, float* rstd);
/* dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), g = dy * w, xhat = (x - mean) * rstd. */
void lpt_layer_norm_grad(size_t rows, size_t cols, const float* dy, const float* x, const float* w, const float* mean,
                         const float* rstd, float* dx);
/* y = 0.5 x (1 + erf(x / sqrt 2)). */
void lpt_gelu(size_t n, const float* x, float* y);
/* y = gelu(x) and slope = Phi(x) + x phi(x), its derivative (y may be x). */
void lpt_gelu_with_slope(size_t n, const float* x, float* y, float* slope);
/* dx = dy * (Phi(x) + x phi(x)). */
void lpt_gelu_grad(size_t n, const float* dy, const float* x, float* dx);
/* Row softmax of scale * s in place, rows x cols. */
void lpt_softmax_rows(size_t rows, size_t cols, float scale, float* s);

#endif
