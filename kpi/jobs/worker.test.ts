/** The worker's retry decision: it reads `retryable` from the error (config/errors.ts), as the CLI reads `exitCode`. */
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/problems.ts';
import { LockTimeoutError } from '../../store/embedded/lock.ts';
import { InfluxQueryError } from '../../store/influx/store.ts';
import { WriteError } from '../../store/influx/write-error.ts';
import { PeriodError } from '../../transforms/periods.ts';
import { DataError } from '../plant.ts';
import { jobError } from './worker.ts';

describe('jobError: what BullMQ may retry', () => {
  it('fails at once, with the same message, what a retry cannot help', () => {
    const cases = [
      new DataError('no co2 factor for electricity valid at 2026-10-01'),
      new ConfigError('plant.yaml', [{ path: 'signals[0].unit', message: 'unknown unit' }]),
      new PeriodError("period '2026-13': not a valid month"),
      new WriteError('InfluxDB answered 400: field type conflict', false, 400),
      new InfluxQueryError('InfluxQL error: syntax'),
    ];
    for (const err of cases) {
      const out = jobError(err);
      expect(out, err.name).toBeInstanceOf(UnrecoverableError);
      expect((out as Error).message).toBe(err.message);
      expect((out as Error).cause).toBe(err);
    }
  });

  it('hands back for a retry what may pass later, and anything unforeseen', () => {
    const cases = [
      new LockTimeoutError('/data/write.lock', 'the data directory is locked by process 7'),
      new WriteError('InfluxDB answered 503', true, 503),
      new WriteError('InfluxDB answered 404: database not found', true, 404, undefined, { kind: 'config' }),
      new InfluxQueryError('cannot reach InfluxDB at http://127.0.0.1:9', true),
      new Error('ECONNRESET'),
    ];
    for (const err of cases) expect(jobError(err)).toBe(err);
    const unrecoverable = new UnrecoverableError('month 2026-10 is closed and locked');
    expect(jobError(unrecoverable)).toBe(unrecoverable);
  });
});
