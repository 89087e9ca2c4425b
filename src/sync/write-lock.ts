/**
 * One writer at a time among the threads of a sync, through a cell of shared memory (0 free, 1
 * held). A thread that must commit while another does sleeps until it is woken (no polling, no
 * busy timeout); one that may wait (`wait` false) is told `'busy'` at once and reads on.
 */
export async function withWriteLock<T>(cells: Int32Array, index: number, wait: boolean, write: () => Promise<T>): Promise<T | 'busy'> {
  while (Atomics.compareExchange(cells, index, 0, 1) !== 0) {
    if (!wait) return 'busy';
    Atomics.wait(cells, index, 1, 1_000);
  }
  try {
    return await write();
  } finally {
    Atomics.store(cells, index, 0);
    Atomics.notify(cells, index, 1);
  }
}
