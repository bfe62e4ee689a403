/* Multi-head self-attention core on the fused qkv projection's output, forward and input
 * gradient, as one call each: q, k, v of image b and head h are read in place from
 * qkv [B, N, 3, H, hd] through leading dimensions (no transposes, no copies), every product is
 * one BLAS call, and the softmax is fused. Only the first Q tokens are queries (the outputs of
 * a block's dropped prompt tokens are never needed); all N are keys and values. The
 * (image, head) pairs are shared out over lpt_parallel_threads() threads (OpenMP), each calling
 * the BLAS on small matrices. */
#ifndef LPT_ATTENTION_H
#define LPT_ATTENTION_H

#include <stddef.h>

typedef struct {
  size_t batch, tokens, queries, heads, head_dim;
  float scale;
} LptAttentionShape;

/* out [B, Q, H*hd] = softmax(q k^T * scale) v per (b, h); probs [B, H, Q, N] kept for backward. */
void lpt_attention(const LptAttentionShape* s, const float* qkv, float* out, float* probs);
/* dqkv [B, N, 3*H*hd] from dy [B, Q, H*hd], qkv and probs (the q part of tokens >= Q is 0);
 * scratch holds lpt_parallel_threads() * Q * N floats. */
void lpt_attention_grad(const LptAttentionShape* s, const float* dy, const float* qkv, const float* probs, float* dqkv,
                        float* scratch);

#endif
