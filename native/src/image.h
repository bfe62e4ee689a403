/* Image kernels of the data pipeline: the passes of PIL's fixed-point bilinear resample on
 * interleaved RGB bytes, and bytes to planar floats through a table. The coefficients are
 * computed in JavaScript (runtime/data/pipeline/resample_rgb.ts), which also holds the same loops
 * for when the addon is absent; both give the same bytes. */
#ifndef LPT_IMAGE_H
#define LPT_IMAGE_H
#include <stdint.h>

/* out[y][i] (rows x out_count x 3) = taps of src row (row_start + y) around column out_from + i. */
void lpt_resample_rows(const uint8_t* src, int64_t src_width, int64_t row_start, int64_t rows, const int32_t* start,
                       const int32_t* size, const int32_t* weights, int64_t max_taps, int64_t out_from, int64_t out_count,
                       uint8_t* out);

/* out[i] (out_count rows of width x 3) = taps of src rows around output row out_from + i; src row 0
 * is source row row_offset. */
void lpt_resample_columns(const uint8_t* src, int64_t width, int64_t row_offset, const int32_t* start, const int32_t* size,
                          const int32_t* weights, int64_t max_taps, int64_t out_from, int64_t out_count, uint8_t* out);

/* Planar floats [3, height, width] from interleaved RGB bytes: out[c][y][x] = table[256 c + byte],
 * the byte taken from column width - 1 - x when flipped. */
void lpt_rgb_to_planes(const uint8_t* bytes, int64_t height, int64_t width, int flipped, const float* table, float* out);

#endif
