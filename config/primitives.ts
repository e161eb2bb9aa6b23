/** The small schema pieces every part of the plant config uses: ids, times, labels, scope kinds. */
import { z } from 'zod';
import { isIsoDateOrDateTime } from './time.ts';

/** An identifier: letters, digits and `_ . : -`, as used in tags and file names. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits and _ . : - only')
  .describe('identifier');

/** ISO 8601 date-time with offset (2026-10-16T00:00:00+08:00), or without (site local time), or a date (local midnight). */
export const DateTimeText = z
  .string()
  .refine(isIsoDateOrDateTime, {
    message: 'expected an ISO 8601 date-time such as 2026-10-16T00:00:00+08:00, or a date such as 2026-10-16',
  })
  .describe('ISO 8601 date-time; without an offset it is site local time; a date means local midnight');

/** A zh-CN / English label, e.g. "电解党支部 Electrolysis branch". */
export const Label = z
  .string()
  .min(1)
  .describe('label shown in boards and exports, zh-CN with English beside');

export const ScopeType = z.enum([
  'site',
  'committee',
  'general_branch',
  'branch',
  'area',
  'team',
  'equipment',
]);
