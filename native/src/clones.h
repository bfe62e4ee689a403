/* Builds a hot loop for several x86-64 levels and picks one at load time (GCC target_clones on
 * Linux), so the addon vectorises with AVX2 / AVX-512 where the CPU has them and still runs
 * where it does not. Elsewhere the loops compile once for the baseline. */
#ifndef LPT_CLONES_H
#define LPT_CLONES_H
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define LPT_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define LPT_CLONES
#endif
#endif
