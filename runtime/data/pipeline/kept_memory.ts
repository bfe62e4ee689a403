/**
 * How image-loading processes keep freed memory. Loading an image allocates and frees a few
 * blocks of about its size, and a batch one block of 32 images; glibc would map each afresh and
 * fault its pages in again (a third of libvips' time per image, and a quarter of the main
 * thread's, measured in docs/PERFORMANCE.md). Blocks up to 32 MiB (glibc's most) come from its
 * heaps instead, and up to 64 MiB may stay free at a heap's top. Every process that loads images
 * (the run, each image worker) sets it for itself through the addon's `keepFreedMemory`; a process
 * lpt does not start (the benchmark's torchvision DataLoader) gets the same through
 * `GLIBC_TUNABLES`.
 */
export const HEAP_BLOCKS_UP_TO = 32 << 20;
export const KEEP_FREE_UP_TO = 64 << 20;

/** The same settings as glibc reads them from the environment (GLIBC_TUNABLES). */
export function keptMemoryTunables(keepFreeUpTo = KEEP_FREE_UP_TO): string {
  return `glibc.malloc.mmap_threshold=${HEAP_BLOCKS_UP_TO}:glibc.malloc.trim_threshold=${keepFreeUpTo}`;
}
