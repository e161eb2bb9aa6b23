/**
 * The records store for processes that run side by side (worker, scheduler, backfill, audit). PostgreSQL serves
 * them all at once: the store is opened once and kept. The embedded PGlite folder is one process's at a time
 * (open.ts: `DIR.lock`), so each process is given it in turns: it is opened at the first call, kept while calls
 * follow each other, and closed as soon as another opener waits (it says so in `DIR.lock.waiting`, refreshed while
 * it waits: open.ts) or after `idleMs` without a call. A call never waits for more than the other holder's current call,
 * plus the closing and opening (about 0.3 s each).
 */
import { type OpenOptions, openRecords, type RecordsTarget, someoneWaits } from './open.ts';
import type { RecordsStore } from './port.ts';

export interface SharedOptions extends OpenOptions {
  /** how long the embedded store stays open without a call (no one waiting); 30 s */
  idleMs?: number;
  /** how long a call waits for another process's turn before it fails (UnavailableError, exit 6); 60 s */
  waitMs?: number;
  /** how often an idle holder looks for a waiter; 100 ms */
  pollMs?: number;
}

/** Opens the records store to be shared with other processes: at once for PostgreSQL, at its first use embedded. */
export async function openSharedRecords(
  target: RecordsTarget,
  options: SharedOptions = {},
): Promise<RecordsStore> {
  if ('url' in target) return openRecords(target, options);
  return new TakingTurns(target, options);
}

/**
 * Runs `fn` with the store held for all of its calls (one turn of the embedded folder, not one per call); with
 * PostgreSQL, or any other store, it just runs.
 */
export function inOneTurn<T>(store: RecordsStore, fn: (s: RecordsStore) => Promise<T>): Promise<T> {
  return store instanceof TakingTurns ? store.turn(fn) : fn(store);
}

class TakingTurns implements RecordsStore {
  private store: Promise<RecordsStore> | null = null;
  private closing: Promise<void> | null = null;
  private callers = 0;
  private idle: { timer: NodeJS.Timeout; poll: NodeJS.Timeout } | null = null;
  private closed = false;

  constructor(
    private readonly target: { dir: string; lockTimeoutMs?: number },
    private readonly options: SharedOptions,
  ) {}

  turn<T>(fn: (s: RecordsStore) => Promise<T>): Promise<T> {
    return this.use(fn);
  }

  private async use<T>(fn: (s: RecordsStore) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('records store closed');
    this.stopIdle();
    while (this.closing !== null) await this.closing;
    this.callers++; // from here on, no close starts until this call is done
    try {
      this.store ??= this.open();
      let s: RecordsStore;
      try {
        s = await this.store;
      } catch (err) {
        this.store = null; // the next call tries again
        throw err;
      }
      return await fn(s);
    } finally {
      this.callers--;
      if (this.callers === 0) this.released();
    }
  }

  private open(): Promise<RecordsStore> {
    return openRecords(
      { dir: this.target.dir, lockTimeoutMs: this.target.lockTimeoutMs ?? this.options.waitMs ?? 60_000 },
      this.options,
    );
  }

  private released(): void {
    if (this.store === null) return;
    if (someoneWaits(this.target.dir)) {
      this.closeNow();
      return;
    }
    const timer = setTimeout(() => this.closeNow(), this.options.idleMs ?? 30_000);
    const poll = setInterval(() => {
      if (someoneWaits(this.target.dir)) this.closeNow();
    }, this.options.pollMs ?? 100);
    timer.unref();
    poll.unref();
    this.idle = { timer, poll };
  }

  private stopIdle(): void {
    if (this.idle === null) return;
    clearTimeout(this.idle.timer);
    clearInterval(this.idle.poll);
    this.idle = null;
  }

  private closeNow(): void {
    this.stopIdle();
    if (this.callers > 0 || this.store === null || this.closing !== null) return;
    const store = this.store;
    this.store = null;
    this.closing = store
      .then((s) => s.close())
      .catch(() => {})
      .finally(() => {
        this.closing = null;
      });
  }

  lock: RecordsStore['lock'] = (...a) => this.use((s) => s.lock(...a));
  reopen: RecordsStore['reopen'] = (...a) => this.use((s) => s.reopen(...a));
  isLocked: RecordsStore['isLocked'] = (...a) => this.use((s) => s.isLocked(...a));
  locks: RecordsStore['locks'] = () => this.use((s) => s.locks());
  append: RecordsStore['append'] = (...a) => this.use((s) => s.append(...a));
  list: RecordsStore['list'] = (...a) => this.use((s) => s.list(...a));
  verify: RecordsStore['verify'] = () => this.use((s) => s.verify());
  record: RecordsStore['record'] = (...a) => this.use((s) => s.record(...a));
  computed: RecordsStore['computed'] = () => this.use((s) => s.computed());
  get: RecordsStore['get'] = (...a) => this.use((s) => s.get(...a));
  request: RecordsStore['request'] = (...a) => this.use((s) => s.request(...a));
  pending: RecordsStore['pending'] = () => this.use((s) => s.pending());
  saveManifest: RecordsStore['saveManifest'] = (...a) => this.use((s) => s.saveManifest(...a));
  manifest: RecordsStore['manifest'] = (...a) => this.use((s) => s.manifest(...a));
  closeTask: RecordsStore['closeTask'] = (...a) => this.use((s) => s.closeTask(...a));
  reopenTask: RecordsStore['reopenTask'] = (...a) => this.use((s) => s.reopenTask(...a));
  closures: RecordsStore['closures'] = () => this.use((s) => s.closures());
  award: RecordsStore['award'] = (...a) => this.use((s) => s.award(...a));
  replaceLedger: RecordsStore['replaceLedger'] = (...a) => this.use((s) => s.replaceLedger(...a));
  ledger: RecordsStore['ledger'] = (...a) => this.use((s) => s.ledger(...a));
  addUser: RecordsStore['addUser'] = (...a) => this.use((s) => s.addUser(...a));
  setPassword: RecordsStore['setPassword'] = (...a) => this.use((s) => s.setPassword(...a));
  disableUser: RecordsStore['disableUser'] = (...a) => this.use((s) => s.disableUser(...a));
  user: RecordsStore['user'] = (...a) => this.use((s) => s.user(...a));
  users: RecordsStore['users'] = () => this.use((s) => s.users());
  createSession: RecordsStore['createSession'] = (...a) => this.use((s) => s.createSession(...a));
  session: RecordsStore['session'] = (...a) => this.use((s) => s.session(...a));
  deleteSession: RecordsStore['deleteSession'] = (...a) => this.use((s) => s.deleteSession(...a));
  purgeSessions: RecordsStore['purgeSessions'] = (...a) => this.use((s) => s.purgeSessions(...a));

  async close(): Promise<void> {
    // calls under way finish first; then the folder is let go
    while (this.callers > 0 || this.closing !== null) {
      if (this.closing !== null) await this.closing;
      else await new Promise((r) => setTimeout(r, 10));
    }
    this.closed = true;
    this.closeNow();
    await this.closing;
  }
}
