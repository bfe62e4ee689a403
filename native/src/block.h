/* A whole pre-norm transformer block for inference (no gradient): x + attn(LN1([x; extra])) for
 * the first Q of x's N tokens, then + MLP(LN2(.)). One call replaces about twenty tfjs ops; the
 * intermediates live in a scratch buffer the addon keeps between calls. Weights are the frozen
 * layers' [in, out] copies (runtime/model/frozen_linear.ts weightIO); a NULL bias is none. */
#ifndef LPT_BLOCK_H
#define LPT_BLOCK_H

#include <stddef.h>

typedef struct {
  size_t batch, tokens, queries, extra, dim, hidden, heads;
  int quick_gelu; /* 0: exact GELU; 1: CLIP's QuickGELU x * sigmoid(1.702 x) */
  float eps1, eps2;
} LptBlockShape;

typedef struct {
  const float *ln1_w, *ln1_b, *qkv_w, *qkv_b, *proj_w, *proj_b;
  const float *ln2_w, *ln2_b, *fc1_w, *fc1_b, *fc2_w, *fc2_b;
} LptBlockWeights;

/* Floats of scratch lpt_block_forward needs for this shape. */
size_t lpt_block_scratch(const LptBlockShape* s);

/* x [B, N, D], extra [B, L, D] (NULL when L = 0) -> out [B, Q, D]. */
void lpt_block_forward(const LptBlockShape* s, const LptBlockWeights* w, const float* x, const float* extra, float* out,
                       float* scratch);

#endif
