/** Counting semaphore with a FIFO queue; waiters can be failed all at once (on close). */
export class Semaphore {
  private available: number;
  private readonly waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  constructor(permits: number) {
    this.available = permits;
  }

  acquire(signal?: AbortSignal, onAbort?: () => unknown): Promise<void> {
    if (this.available > 0) {
      this.available--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject };
      this.waiters.push(waiter);
      if (signal) {
        // A caller that gives up while queued leaves the queue instead of taking a permit later.
        const abort = (): void => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(onAbort ? onAbort() : signal.reason);
        };
        if (signal.aborted) return abort();
        signal.addEventListener("abort", abort, { once: true });
        waiter.resolve = () => { signal.removeEventListener("abort", abort); resolve(); };
        waiter.reject = (err) => { signal.removeEventListener("abort", abort); reject(err); };
      }
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next.resolve(); // the permit passes straight to the next waiter
    else this.available++;
  }

  rejectAll(err: unknown): void {
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}
