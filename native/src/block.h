/* A whole pre-norm transformer block: x + attn(LN1([x; extra])) for the first Q of x's N tokens,
 * then + MLP(LN2(.)), as one call (about twenty tfjs ops), and its input gradient as one more.
 * Under a gradient the forward also writes what the backward reads (LptBlockSaved: what PyTorch's
 * autograd keeps for the same block, with the activation's derivative in place of its input: the
 * forward has the erf it needs at hand, and the backward then only multiplies). Weights are the
 * frozen layers' [in, out] copies (runtime/model/frozen_linear.ts weightIO); a NULL bias is none.
 * The weights are frozen, so the backward computes the input gradients only: of x, of extra, or
 * (x frozen) of extra alone. */
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

/* What the forward keeps for the backward (T = N + L, R = B * Q rows leave the block). */
typedef struct {
  float* qkv;          /* [B*T, 3D] */
  float* probs;        /* [B, H, Q, T] */
  float* y;            /* [R, D]: the residual stream after attention (LN2's input) */
  float* slope;        /* [R, hidden]: the activation's derivative at fc1's output */
  float *mean1, *rstd1; /* [B*T] */
  float *mean2, *rstd2; /* [R] */
} LptBlockSaved;

/* Floats of scratch lpt_block_forward needs for this shape, with or without `saved`. */
size_t lpt_block_scratch(const LptBlockShape* s, int saving);

/* x [B, N, D], extra [B, L, D] (NULL when L = 0) -> out [B, Q, D]; fills `saved` unless NULL. */
void lpt_block_forward(const LptBlockShape* s, const LptBlockWeights* w, const float* x, const float* extra, float* out,
                       const LptBlockSaved* saved, float* scratch);

/* Floats of scratch lpt_block_backward needs. */
size_t lpt_block_grad_scratch(const LptBlockShape* s);

/* dy [B, Q, D] -> dx [B, N, D] and dextra [B, L, D] (either NULL: not computed; with dx NULL only
 * extra's rows of LN1 and the qkv projection run backward), from the forward's inputs and `saved`. */
void lpt_block_backward(const LptBlockShape* s, const LptBlockWeights* w, const float* x, const float* extra,
                        const LptBlockSaved* saved, const float* dy, float* dx, float* dextra, float* scratch);

#endif
