#include "image.h"

#include <stdlib.h>

#define PRECISION_BITS 22
#define HALF (1 << (PRECISION_BITS - 1))

static inline uint8_t clip8(int64_t sum) {
  if (sum <= 0) return 0;
  if (sum >= ((int64_t)1 << (PRECISION_BITS + 8))) return 255;
  return (uint8_t)(sum >> PRECISION_BITS);
}

void lpt_resample_rows(const uint8_t* src, int64_t src_width, int64_t row_start, int64_t rows, const int32_t* start,
                       const int32_t* size, const int32_t* weights, int64_t max_taps, int64_t out_from, int64_t out_count,
                       uint8_t* out) {
  for (int64_t y = 0; y < rows; y++) {
    const uint8_t* in = src + (row_start + y) * src_width * 3;
    uint8_t* o = out + y * out_count * 3;
    for (int64_t x = out_from; x < out_from + out_count; x++) {
      const uint8_t* p = in + (int64_t)start[x] * 3;
      const int32_t* k = weights + x * max_taps;
      int32_t r = HALF, g = HALF, b = HALF;
      for (int32_t j = 0; j < size[x]; j++, p += 3) {
        r += p[0] * k[j]; /* < 2^31: 255 x 2^22 + 2^21 */
        g += p[1] * k[j];
        b += p[2] * k[j];
      }
      *o++ = clip8(r);
      *o++ = clip8(g);
      *o++ = clip8(b);
    }
  }
}

void lpt_resample_columns(const uint8_t* src, int64_t width, int64_t row_offset, const int32_t* start, const int32_t* size,
                          const int32_t* weights, int64_t max_taps, int64_t out_from, int64_t out_count, uint8_t* out) {
  const int64_t stride = width * 3;
  int32_t* sums = malloc((size_t)(stride > 0 ? stride : 1) * sizeof(int32_t));
  if (!sums) return;
  for (int64_t i = 0; i < out_count; i++) {
    const int64_t y = out_from + i;
    const int32_t* k = weights + y * max_taps;
    for (int64_t v = 0; v < stride; v++) sums[v] = HALF;
    for (int32_t j = 0; j < size[y]; j++) {
      const uint8_t* row = src + (start[y] - row_offset + j) * stride;
      const int32_t w = k[j];
      for (int64_t v = 0; v < stride; v++) sums[v] += row[v] * w; /* < 2^31: 255 x 2^22 + 2^21 */
    }
    uint8_t* o = out + i * stride;
    for (int64_t v = 0; v < stride; v++) o[v] = clip8(sums[v]);
  }
  free(sums);
}

void lpt_rgb_to_planes(const uint8_t* bytes, int64_t height, int64_t width, int flipped, const float* table, float* out) {
  const int64_t plane = height * width;
  for (int64_t y = 0; y < height; y++) {
    const uint8_t* row = bytes + y * width * 3;
    float* r = out + y * width;
    float* g = r + plane;
    float* b = g + plane;
    for (int64_t x = 0; x < width; x++) {
      const uint8_t* p = row + (flipped ? width - 1 - x : x) * 3;
      r[x] = table[p[0]];
      g[x] = table[256 + p[1]];
      b[x] = table[512 + p[2]];
    }
  }
}
