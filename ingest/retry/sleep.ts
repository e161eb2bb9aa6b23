/** Waits `ms`, or less when the signal aborts; leaves no listener on the signal either way. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      // a listener left behind per wait piles up on a long-lived signal (MaxListenersExceededWarning after 10)
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
