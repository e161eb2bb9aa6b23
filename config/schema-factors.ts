/**
 * Factor schemas: conversion and emission factors (dated grid factors among them) and process emissions.
 * Part of the plant config schema (schema.ts re-exports them); the library that merges and dates them is factors/.
 */
import { z } from 'zod';
import { DateTimeText, Id, Label } from './primitives.ts';

/** A data year the grid factors are published for (MEE/NBS publish year Y some time after Y). */
export const FactorYear = z.number().int().min(1990).max(2100);

export const FactorSchema = z.strictObject({
  carrier: Id.describe('the carrier the factor converts (a carriers[].id)'),
  kind: z.enum(['tce', 'co2']).describe('tce: conversion to standard coal; co2: emission factor'),
  value: z.number().nonnegative().describe('the factor, in `unit`'),
  unit: z.string().min(1).describe('a ratio unit such as kgce/kWh, kgCO2/kWh, tCO2/MWh, kgce/Nm3'),
  source: z.string().min(1).describe('where the number comes from: standard, notice, year'),
  region: z.string().default('CN').describe('grid region the factor applies to'),
  series: z
    .string()
    .default('default')
    .describe("series name, matched against the carrier's tceSeries, equalValueSeries or co2Series"),
  year: FactorYear.optional().describe(
    'data year the factor is published for; without from/to it applies from January 1 of that year until the next year of its carrier, kind, series and region starts, the newest one on and on; a site factor with a year replaces only the built-in one of that year',
  ),
  from: DateTimeText.optional().describe(
    'valid from (inclusive); absent: January 1 of `year`, else since ever',
  ),
  to: DateTimeText.optional().describe(
    "valid until (exclusive); absent: the next year's factor of its series and region, else open-ended",
  ),
});

export const ProcessEmissionSchema = z.strictObject({
  signal: Id.describe(
    'the quantity signal whose amount emits (a signals[].id): limestone or carbonate consumed, product made',
  ),
  name: Label.optional(),
  factor: z.number().nonnegative().describe("CO2 emitted per unit of the signal's amount, in `unit`"),
  unit: z
    .string()
    .min(1)
    .describe("CO2 per the signal's unit: tCO2/t, kgCO2/kg, tCO2/Nm3 (converted to the signal's own unit)"),
  source: z
    .string()
    .min(1)
    .describe('where the factor comes from: guideline, stoichiometry, lab analysis, year'),
});

export type FactorConfig = z.infer<typeof FactorSchema>;
export type ProcessEmissionConfig = z.infer<typeof ProcessEmissionSchema>;
