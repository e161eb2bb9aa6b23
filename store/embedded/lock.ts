/** A cross-process write lock: a file created with O_EXCL holding the owner's pid; a dead owner's lock is taken over. */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits up to timeoutMs for the lock; returns its release function. */
export async function acquireLock(file: string, timeoutMs = 60_000): Promise<() => void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(file, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // someone else took it over first
      }
      continue;
    }
    if (Date.now() > until) {
      throw new Error(
        `the data directory is locked by process ${owner} (${file}); another import is running`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
