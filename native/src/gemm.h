/* Single-precision matrix multiply for the lpt native addon: a BLAS found at run time
 * (dlopen; OpenBLAS, MKL, BLIS, Accelerate or the system libblas) or, when there is none, the
 * small vendored kernel in gemm.c. Row-major; C = op(A) op(B) + beta * C. */
#ifndef LPT_GEMM_H
#define LPT_GEMM_H

void lpt_gemm_init(void);
/* Which implementation runs, for reports: a library path or "vendored". */
const char* lpt_gemm_name(void);
/* Threads the BLAS (or the vendored kernel) may use; 0 keeps its default. */
void lpt_gemm_set_threads(int threads);
int lpt_gemm_threads(void);
/* Threads for loops this addon parallelises itself (attention over image x head): the
 * number set with lpt_gemm_set_threads, else the BLAS's (at least 1). */
int lpt_parallel_threads(void);
/* Around a parallel loop that calls lpt_sgemm from several threads: the BLAS runs single-threaded
 * inside it (its own pool would fight the loop's threads for the cores). */
void lpt_gemm_enter_parallel(void);
void lpt_gemm_leave_parallel(void);
/* 1: force the vendored kernel even when a BLAS was found (for measurements). */
void lpt_gemm_force_vendored(int on);

void lpt_sgemm(int trans_a, int trans_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb,
               float beta, float* c, int ldc);

#endif
