/* Vectorisable float exp and erf for the elementwise kernels (libm's are scalar calls that the
 * compiler cannot vectorise). exp: range reduction by ln 2 (Cody-Waite) and a degree-6
 * polynomial, relative error about 2e-7. erf: the odd/even rational approximation on [-4, 4]
 * used by Eigen and XLA for float, absolute error about 4e-7. Checked against tfjs's own exp/erf
 * through the GELU kernels in test/runtime/model/fused_ops.test.ts. */
#ifndef LPT_VMATH_H
#define LPT_VMATH_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

static inline float lpt_expf(float x) {
  x = x < -87.3f ? -87.3f : x;
  x = x > 88.3f ? 88.3f : x;
  /* n = round(x / ln 2) through the 1.5 * 2^23 trick; its low bits are the integer n. */
  const float shifted = x * 1.44269504088896341f + 12582912.0f;
  const float n = shifted - 12582912.0f;
  float r = x - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  union { float f; int32_t i; } bits = {shifted};
  union { int32_t i; float f; } scale = {(bits.i - 0x4B400000 + 127) << 23};
  return p * scale.f;
}

static inline float lpt_erff(float x) {
  x = x < -4.0f ? -4.0f : x;
  x = x > 4.0f ? 4.0f : x;
  const float x2 = x * x;
  float p = -2.72614225801306e-10f;
  p = p * x2 + 2.77068142495902e-08f;
  p = p * x2 + -2.10102402082508e-06f;
  p = p * x2 + -5.69250639462346e-05f;
  p = p * x2 + -7.34990630326855e-04f;
  p = p * x2 + -2.95459980854025e-03f;
  p = p * x2 + -1.60960333262415e-02f;
  float q = -1.45660718464996e-05f;
  q = q * x2 + -2.13374055278905e-04f;
  q = q * x2 + -1.68282697438203e-03f;
  q = q * x2 + -7.37332916720468e-03f;
  q = q * x2 + -1.42647390514189e-02f;
  return x * p / q;
}

/* Sum of x[0..n) in 8 interleaved partial sums, so that the compiler vectorises it (a plain
 * float reduction may not be reordered without -ffast-math). */
static inline float lpt_sum(const float* x, size_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; l++) acc[l] += x[i + l];
  float total = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (; i < n; i++) total += x[i];
  return total;
}

/* Sum of x[i] * y[i], likewise. */
static inline float lpt_dot(const float* x, const float* y, size_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; l++) acc[l] += x[i + l] * y[i + l];
  float total = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (; i < n; i++) total += x[i] * y[i];
  return total;
}

#endif
