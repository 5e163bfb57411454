import os from 'node:os';

/**
 * Lowers the calling thread's CPU priority by `by` nice steps (at most to 19), so that on a saturated
 * machine the HTTP thread (ingest, queries) comes first. On Linux a nice value is per thread, and
 * setpriority(0) addresses the calling thread. Where that is not permitted or not supported, the thread
 * simply runs at the process's priority.
 */
export function lowerThreadPriority(by: number): void {
  try {
    os.setPriority(0, Math.min(19, os.getPriority(0) + by));
  } catch {
    // Not permitted or not supported: nothing to do.
  }
}
