/* See gemm.h. The BLAS is looked up with dlopen so that the addon builds without BLAS headers
 * or link-time libraries and still runs (on the vendored kernel) where no BLAS is installed. */
#include "gemm.h"

#include "clones.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#define LPT_NO_DLOPEN 1
#else
#include <dlfcn.h>
#endif

#ifdef _OPENMP
#include <omp.h>
#endif

enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };
typedef void (*cblas_sgemm_fn)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*,
                               int);
typedef void (*set_threads_fn)(int);
typedef int (*get_threads_fn)(void);

static cblas_sgemm_fn blas_sgemm = NULL;
static set_threads_fn blas_set_threads = NULL;
static get_threads_fn blas_get_threads = NULL;
static const char* blas_name = "vendored";
static char blas_label[256] = "vendored";
static int force_vendored = 0;
static int vendored_threads = 1;
static int parallel_threads = 0;

static const char* const CANDIDATES[] = {
    "libopenblas.so.0", "libopenblas.so", "libmkl_rt.so.2", "libmkl_rt.so", "libblis.so.4", "libblis.so",
    "/System/Library/Frameworks/Accelerate.framework/Accelerate", "libopenblas.dylib", "libblas.so.3",
};

/* OpenBLAS up to 0.3.21 does not know AMD Zen 4 and runs its AVX2 (Haswell) kernels there, at
 * about half the speed of its AVX-512 (SkylakeX) ones on the same cores (docs/PERFORMANCE.md).
 * Where the CPU has the AVX-512 subsets those kernels use and nobody chose a core type, ask for
 * them while the library loads, then take the variable back out so child processes (the
 * benchmark's PyTorch peer) see the environment they were given. LPT_OPENBLAS_CORETYPE=keep
 * leaves OpenBLAS's own choice. */
static int prefer_avx512_kernels(void) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(LPT_NO_DLOPEN)
  const char* keep = getenv("LPT_OPENBLAS_CORETYPE");
  if (getenv("OPENBLAS_CORETYPE") != NULL || (keep != NULL && strcmp(keep, "keep") == 0)) return 0;
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw") || !__builtin_cpu_supports("avx512vl") ||
      !__builtin_cpu_supports("avx512dq"))
    return 0;
  setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
  return 1;
#else
  return 0;
#endif
}

/* OpenBLAS's worker threads spin for a while after each product before they sleep (by default
 * 2^28 cycles). Between the block's products the addon's own OpenMP threads and the JavaScript
 * thread run the row-wise steps, and on a machine with as many cores as threads the spinning
 * workers take their cores: on 2 cores the phase-1 step ran 23 % faster with the workers told to
 * sleep at once (docs/PERFORMANCE.md). Ask for the shortest wait (2^4) while the library loads,
 * unless the user chose one, and take the variable back out as with the core type. */
static int prefer_short_thread_timeout(void) {
#ifndef LPT_NO_DLOPEN
  if (getenv("OPENBLAS_THREAD_TIMEOUT") != NULL) return 0;
  setenv("OPENBLAS_THREAD_TIMEOUT", "4", 0);
  return 1;
#else
  return 0;
#endif
}

void lpt_gemm_init(void) {
#ifndef LPT_NO_DLOPEN
  if (blas_sgemm != NULL) return;
  if (getenv("LPT_NATIVE_BLAS") != NULL && strcmp(getenv("LPT_NATIVE_BLAS"), "vendored") == 0) return;
  const int set_coretype = prefer_avx512_kernels();
  const int set_timeout = prefer_short_thread_timeout();
  for (size_t i = 0; i < sizeof(CANDIDATES) / sizeof(CANDIDATES[0]) && blas_sgemm == NULL; i++) {
    void* lib = dlopen(CANDIDATES[i], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) continue;
    cblas_sgemm_fn f = (cblas_sgemm_fn)dlsym(lib, "cblas_sgemm");
    if (f == NULL) {
      dlclose(lib);
      continue;
    }
    blas_sgemm = f;
    blas_name = CANDIDATES[i];
    blas_set_threads = (set_threads_fn)dlsym(lib, "openblas_set_num_threads");
    if (blas_set_threads == NULL) blas_set_threads = (set_threads_fn)dlsym(lib, "MKL_Set_Num_Threads");
    if (blas_set_threads == NULL) blas_set_threads = (set_threads_fn)dlsym(lib, "bli_thread_set_num_threads");
    blas_get_threads = (get_threads_fn)dlsym(lib, "openblas_get_num_threads");
    if (blas_get_threads == NULL) blas_get_threads = (get_threads_fn)dlsym(lib, "MKL_Get_Max_Threads");
    typedef char* (*corename_fn)(void);
    corename_fn corename = (corename_fn)dlsym(lib, "openblas_get_corename");
    snprintf(blas_label, sizeof blas_label, "%s%s%s%s", blas_name, corename != NULL ? " (" : "",
             corename != NULL ? corename() : "", corename != NULL ? ")" : "");
  }
  if (set_coretype) unsetenv("OPENBLAS_CORETYPE");
  if (set_timeout) unsetenv("OPENBLAS_THREAD_TIMEOUT");
#endif
}

const char* lpt_gemm_name(void) { return (blas_sgemm != NULL && !force_vendored) ? blas_label : "vendored"; }

void lpt_gemm_force_vendored(int on) { force_vendored = on; }

void lpt_gemm_set_threads(int threads) {
  if (threads <= 0) return;
  if (blas_set_threads != NULL) blas_set_threads(threads);
  vendored_threads = threads;
  parallel_threads = threads;
}

static int saved_blas_threads = 0;

void lpt_gemm_enter_parallel(void) {
  if (blas_set_threads == NULL || blas_get_threads == NULL) return;
  saved_blas_threads = blas_get_threads();
  if (saved_blas_threads > 1) blas_set_threads(1);
}

void lpt_gemm_leave_parallel(void) {
  if (blas_set_threads != NULL && saved_blas_threads > 1) blas_set_threads(saved_blas_threads);
}

int lpt_parallel_threads(void) {
  if (parallel_threads > 0) return parallel_threads;
  const int blas = blas_get_threads != NULL && !force_vendored ? blas_get_threads() : 1;
  return blas > 0 ? blas : 1;
}

int lpt_gemm_threads(void) {
  if (blas_sgemm != NULL && !force_vendored) return blas_get_threads != NULL ? blas_get_threads() : 0;
  return vendored_threads;
}

/* ---- vendored kernel: op(A), op(B) packed row-major, then 4-row register blocking ---- */

static const float* pack(int trans, int rows, int cols, const float* x, int ld, float** owned) {
  /* op(X) as a dense row-major rows x cols matrix. */
  if (!trans && ld == cols) {
    *owned = NULL;
    return x;
  }
  float* out = (float*)malloc(sizeof(float) * (size_t)rows * (size_t)cols);
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) out[(size_t)i * cols + j] = trans ? x[(size_t)j * ld + i] : x[(size_t)i * ld + j];
  *owned = out;
  return out;
}

LPT_CLONES static void rows_kernel(int i0, int i1, int n, int k, const float* a, const float* b, float beta, float* c, int ldc) {
  for (int i = i0; i < i1; i += 4) {
    int r = i1 - i < 4 ? i1 - i : 4;
    float* c0 = c + (size_t)i * ldc;
    for (int q = 0; q < r; q++) {
      float* cq = c0 + (size_t)q * ldc;
      if (beta == 0.0f)
        memset(cq, 0, sizeof(float) * (size_t)n);
      else if (beta != 1.0f)
        for (int j = 0; j < n; j++) cq[j] *= beta;
    }
    if (r == 4) {
      float* c1 = c0 + ldc;
      float* c2 = c1 + ldc;
      float* c3 = c2 + ldc;
      const float* a0 = a + (size_t)i * k;
      for (int p = 0; p < k; p++) {
        const float x0 = a0[p], x1 = a0[k + p], x2 = a0[2 * k + p], x3 = a0[3 * k + p];
        const float* bp = b + (size_t)p * n;
        for (int j = 0; j < n; j++) {
          const float y = bp[j];
          c0[j] += x0 * y;
          c1[j] += x1 * y;
          c2[j] += x2 * y;
          c3[j] += x3 * y;
        }
      }
    } else {
      for (int q = 0; q < r; q++) {
        float* cq = c0 + (size_t)q * ldc;
        const float* aq = a + (size_t)(i + q) * k;
        for (int p = 0; p < k; p++) {
          const float x = aq[p];
          const float* bp = b + (size_t)p * n;
          for (int j = 0; j < n; j++) cq[j] += x * bp[j];
        }
      }
    }
  }
}

static void vendored_sgemm(int trans_a, int trans_b, int m, int n, int k, const float* a, int lda, const float* b,
                           int ldb, float beta, float* c, int ldc) {
  float *own_a, *own_b;
  const float* pa = pack(trans_a, m, k, a, lda, &own_a);
  const float* pb = pack(trans_b, k, n, b, ldb, &own_b);
  const int blocks = (m + 31) / 32;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(vendored_threads) if (vendored_threads > 1 && m >= 64)
#endif
  for (int blk = 0; blk < blocks; blk++) {
    int i0 = blk * 32, i1 = i0 + 32 < m ? i0 + 32 : m;
    rows_kernel(i0, i1, n, k, pa, pb, beta, c, ldc);
  }
  free(own_a);
  free(own_b);
}

void lpt_sgemm(int trans_a, int trans_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb,
               float beta, float* c, int ldc) {
  if (m == 0 || n == 0) return;
  if (blas_sgemm != NULL && !force_vendored) {
    blas_sgemm(CBLAS_ROW_MAJOR, trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS, trans_b ? CBLAS_TRANS : CBLAS_NO_TRANS, m, n, k,
               1.0f, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  vendored_sgemm(trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc);
}
