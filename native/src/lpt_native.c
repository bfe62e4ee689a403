/* N-API entry of the lpt native addon: kernels that work in place on the tfjs wasm backend's
 * heap (an ArrayBuffer passed with every call, since the heap is replaced when it grows) at
 * byte offsets the JavaScript side reads from the backend's tensor table. See
 * runtime/model/kernels/native.ts for the JavaScript half and docs/PERFORMANCE.md for why. */
#include <node_api.h>
#include <stdint.h>
#include <string.h>

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "attention.h"
#include "block.h"
#include "elementwise.h"
#include "gemm.h"
#include "image.h"

#define MAX_ARGS 40

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  int failed;
} Args;

static int get_args(napi_env env, napi_callback_info info, Args* a, size_t want) {
  a->env = env;
  a->argc = MAX_ARGS;
  a->failed = 0;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok || a->argc < want) {
    napi_throw_error(env, NULL, "lpt native: wrong number of arguments");
    return 0;
  }
  return 1;
}

static int64_t int_arg(Args* a, size_t i) {
  int64_t v = 0;
  if (napi_get_value_int64(a->env, a->argv[i], &v) != napi_ok) a->failed = 1;
  return v;
}

static double num_arg(Args* a, size_t i) {
  double v = 0;
  if (napi_get_value_double(a->env, a->argv[i], &v) != napi_ok) a->failed = 1;
  return v;
}

static uint8_t* heap_arg(Args* a, size_t i, size_t* length) {
  void* data = NULL;
  if (napi_get_arraybuffer_info(a->env, a->argv[i], &data, length) != napi_ok) a->failed = 1;
  return (uint8_t*)data;
}

/* A float pointer into the heap, checked against its length; NULL when the offset is < 0. */
static float* at(Args* a, uint8_t* heap, size_t length, int64_t offset, int64_t count) {
  if (offset < 0) return NULL;
  if ((size_t)offset + (size_t)count * sizeof(float) > length || offset % 4 != 0) {
    a->failed = 1;
    return NULL;
  }
  return (float*)(heap + offset);
}

static napi_value fail(Args* a) {
  napi_throw_error(a->env, NULL, "lpt native: bad argument (type or out of the heap)");
  return NULL;
}

/* gemm(heap, batch, m, n, k, transA, transB, aOff, aStride, bOff, bStride, cOff, biasOff):
 * for each b < batch: C[b] (m x n, dense) = op(A[b]) op(B[b]) + bias (per column), where
 * A[b] starts at aOff + 4 * b * aStride (aStride 0 broadcasts), likewise B; biasOff < 0: none. */
static napi_value gemm(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, &a, 13)) return NULL;
  size_t length = 0;
  uint8_t* heap = heap_arg(&a, 0, &length);
  const int64_t batch = int_arg(&a, 1), m = int_arg(&a, 2), n = int_arg(&a, 3), k = int_arg(&a, 4);
  const int trans_a = int_arg(&a, 5) != 0, trans_b = int_arg(&a, 6) != 0;
  const int64_t a_stride = int_arg(&a, 8), b_stride = int_arg(&a, 10);
  if (a.failed || batch < 0 || m < 0 || n < 0 || k < 0) return fail(&a);
  if (batch == 0 || m == 0 || n == 0) return NULL;
  const float* A = at(&a, heap, length, int_arg(&a, 7), (batch - 1) * a_stride + m * k);
  const float* B = at(&a, heap, length, int_arg(&a, 9), (batch - 1) * b_stride + k * n);
  float* C = at(&a, heap, length, int_arg(&a, 11), batch * m * n);
  const float* bias = at(&a, heap, length, int_arg(&a, 12), n);
  if (a.failed) return fail(&a);
  for (int64_t b = 0; b < batch; b++) {
    float* c = C + b * m * n;
    float beta = 0.0f;
    if (bias != NULL) {
      for (int64_t i = 0; i < m; i++) memcpy(c + i * n, bias, sizeof(float) * (size_t)n);
      beta = 1.0f;
    }
    if (k == 0) {
      if (bias == NULL) memset(c, 0, sizeof(float) * (size_t)(m * n));
      continue;
    }
    lpt_sgemm(trans_a, trans_b, (int)m, (int)n, (int)k, A + b * a_stride, trans_a ? (int)m : (int)k, B + b * b_stride,
              trans_b ? (int)k : (int)n, beta, c, (int)n);
  }
  return NULL;
}

static napi_value info(napi_env env, napi_callback_info cb) {
  (void)cb;
  napi_value out, name, threads;
  napi_create_object(env, &out);
  napi_create_string_utf8(env, lpt_gemm_name(), NAPI_AUTO_LENGTH, &name);
  napi_create_int32(env, lpt_gemm_threads(), &threads);
  napi_set_named_property(env, out, "blas", name);
  napi_set_named_property(env, out, "threads", threads);
  return out;
}

static napi_value set_threads(napi_env env, napi_callback_info cb) {
  Args a;
  if (!get_args(env, cb, &a, 1)) return NULL;
  int64_t t = int_arg(&a, 0);
  if (a.failed) return fail(&a);
  lpt_gemm_set_threads((int)t);
  return NULL;
}

static napi_value force_vendored(napi_env env, napi_callback_info cb) {
  Args a;
  if (!get_args(env, cb, &a, 1)) return NULL;
  int64_t on = int_arg(&a, 0);
  if (a.failed) return fail(&a);
  lpt_gemm_force_vendored(on != 0);
  return NULL;
}

/* keepFreedMemory(mmapThreshold, trimThreshold): glibc serves blocks below the first from its
 * heaps instead of fresh mappings, and keeps up to the second free at a heap's top instead of
 * handing it back. Decoding an image allocates and frees a few blocks of about its size; by
 * default each is a new mapping whose pages fault in again (measured: a third of libvips' time
 * per image). Returns whether the allocator took the settings (false off glibc). */
static napi_value keep_freed_memory(napi_env env, napi_callback_info cb) {
  Args a;
  if (!get_args(env, cb, &a, 2)) return NULL;
  int64_t mmap_threshold = int_arg(&a, 0);
  int64_t trim_threshold = int_arg(&a, 1);
  if (a.failed || mmap_threshold <= 0 || trim_threshold <= 0 || mmap_threshold > INT32_MAX || trim_threshold > INT32_MAX) return fail(&a);
  int ok = 0;
#ifdef __GLIBC__
  ok = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold) == 1 && mallopt(M_TRIM_THRESHOLD, (int)trim_threshold) == 1;
#endif
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

#include "bindings_kernels.inc"
#include "bindings_image.inc"

static napi_value init(napi_env env, napi_value exports) {
  lpt_gemm_init();
  napi_property_descriptor props[] = {
      {"gemm", NULL, gemm, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, info, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"forceVendored", NULL, force_vendored, NULL, NULL, NULL, napi_default, NULL},
      {"keepFreedMemory", NULL, keep_freed_memory, NULL, NULL, NULL, napi_default, NULL},
      KERNEL_PROPERTIES,
      IMAGE_PROPERTIES};
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
