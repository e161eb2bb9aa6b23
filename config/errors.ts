/**
 * The errors plantkpi tells apart, and the exit codes of the `plantkpi` command. A leaf module: it imports nothing, so
 * every room can throw these. Each error carries what the CLI and the job worker need to decide: `exitCode` (the
 * command's exit status) and `retryable` (whether trying again later, unchanged, can succeed: the worker retries a job
 * only then; the collector keeps a batch in the spool only then).
 *
 * Exit codes (cli/README.md and `plantkpi --help` say the same, from cli/usage.ts):
 *   0  ok
 *   1  failure: one line saying why (the collector's port is in use, InfluxDB refused a replay); a stack trace
 *      only for an error nobody foresaw
 *   2  usage: an unknown option, a malformed period, a `--data` directory that does not exist
 *   3  invalid config: every problem with its path; also a secret the config names that cannot be had
 *   4  rejected input: some CSV lines or readings refused (every valid one was taken); a records backup file
 *      refused whole (not a backup, truncated, damaged, from a newer plantkpi): nothing restored
 *   5  KPI computation failed: the config or the data cannot give a KPI (no emission factor valid in the period)
 *   6  unavailable: the store is busy or cannot be reached (another writer holds the data directory's lock,
 *      InfluxDB does not answer); the same command may succeed later
 *   7  refused: the command asked to change something closed (a locked month without --reopen); the refusal is
 *      audited, and the rest of the command's work was done. Also a restore over a records store that has
 *      contents, without --force (nothing changed, nothing audited: the store was not touched)
 *   8  no readings: the store holds not a single reading in the period asked for (`plantkpi kpi`, `export`): the
 *      output is written as usual and a warning on stderr names the period and the store (a wrong --data or
 *      --period, a collector that never wrote)
 */

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  input: 4,
  kpi: 5,
  unavailable: 6,
  refused: 7,
  noReadings: 8,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The base of every error plantkpi throws on purpose: its message says what is wrong and what to do next. */
export abstract class PlantkpiError extends Error {
  /** the `plantkpi` command's exit status when this error ends it */
  abstract readonly exitCode: ExitCode;
  /** true: the same work, tried again later, can succeed (a job is retried); false: something must be fixed first */
  abstract readonly retryable: boolean;
}

/** The command line is wrong: an unknown command or option, a malformed argument. */
export class UsageError extends PlantkpiError {
  readonly exitCode = EXIT.usage;
  readonly retryable = false;
  override name = 'UsageError';
}

/** A file or directory the command reads does not exist (`--data DIR` before anything was imported into it). */
export class MissingInputError extends PlantkpiError {
  readonly exitCode = EXIT.usage;
  readonly retryable = false;
  override name = 'MissingInputError';
  constructor(
    /** the path as given */
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Some input lines or readings were refused; every valid one was taken. */
export class InputError extends PlantkpiError {
  readonly exitCode = EXIT.input;
  readonly retryable = false;
  override name = 'InputError';
}

/** A failure whose message says it all (one line, no stack trace for the user). */
export class CliError extends PlantkpiError {
  readonly exitCode = EXIT.failure;
  readonly retryable: boolean;
  override name = 'CliError';
  constructor(message: string, opts: { retryable?: boolean } = {}) {
    super(message);
    this.retryable = opts.retryable ?? false;
  }
}

/** The KPIs cannot be computed (the CLI prefixes 'KPI computation failed'); retrying will not help. */
export class KpiError extends PlantkpiError {
  readonly exitCode: ExitCode = EXIT.kpi;
  readonly retryable: boolean = false;
  override name = 'KpiError';
}

/** A resource is busy or out of reach for now: a lock held by another writer, a server that does not answer. */
export class UnavailableError extends PlantkpiError {
  readonly exitCode: ExitCode = EXIT.unavailable;
  readonly retryable: boolean = true;
  override name = 'UnavailableError';
}

/**
 * A closed thing was asked to change (a locked month recomputed without --reopen: audited), or kept contents were
 * to be replaced without --force (a records restore: left as it was); never retried.
 */
export class RefusedError extends PlantkpiError {
  readonly exitCode: ExitCode = EXIT.refused;
  readonly retryable: boolean = false;
  override name = 'RefusedError';
}

/**
 * Whether trying again later can help: what the error says when it is one of ours; anything unforeseen (a network
 * error from a client library, a bug) is retried, as a job that failed once may well succeed on another worker.
 */
export function isRetryable(err: unknown): boolean {
  return err instanceof PlantkpiError ? err.retryable : true;
}

/** The exit status an error ends the command with: its own, or 1 for an error nobody foresaw. */
export function exitCodeOf(err: unknown): ExitCode {
  return err instanceof PlantkpiError ? err.exitCode : EXIT.failure;
}
