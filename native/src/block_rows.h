/* Row-wise pieces of the block kernels (block.c, block_grad.c), each split over
 * lpt_parallel_threads() threads by rows. "Token rows" are the rows of [x; extra] for B images of
 * N + L tokens, read from x [B, N, cols] and extra [B, L, cols] without concatenating them. */
#ifndef LPT_BLOCK_ROWS_H
#define LPT_BLOCK_ROWS_H

#include <stddef.h>

/* Row r of [x; extra] (images of n tokens in x, then l in extra). */
static inline const float* lpt_token_row(const float* x, const float* extra, size_t n, size_t l, size_t cols,
                                         size_t r) {
  const size_t t = n + l, img = r / t, tok = r % t;
  return tok < n ? x + (img * n + tok) * cols : extra + (img * l + tok - n) * cols;
}

/* c [rows, cols] = source's rows (NULL: 0) + bias (NULL: none), where output row r reads source
 * row (r / q) * n + r % q (the first q of every n rows; q = n: row r). */
void lpt_init_rows(size_t rows, size_t cols, size_t q, size_t n, const float* source, const float* bias, float* c);
/* y [rows, cols] += x, or *= x with `multiply`, split over the threads. */
void lpt_combine_rows(size_t rows, size_t cols, const float* x, int multiply, float* y);
/* LayerNorm of the `rows` token rows of [x; extra] into y [rows, cols], with their statistics. */
void lpt_layer_norm_token_rows(size_t rows, size_t cols, size_t n, size_t l, const float* x, const float* extra,
                               const float* w, const float* b, float eps, float* y, float* mean, float* rstd);
/* LayerNorm's input gradient over `rows` rows (elementwise.h), split over the threads. */
void lpt_layer_norm_grad_rows(size_t rows, size_t cols, const float* dy, const float* x, const float* w,
                              const float* mean, const float* rstd, float* dx);
/* y = act(x) over rows x cols (y may be x), and its derivative act'(x) into slope unless NULL;
 * quick: CLIP's QuickGELU, else exact GELU. */
void lpt_activate_rows(size_t rows, size_t cols, int quick, const float* x, float* y, float* slope);

#endif
