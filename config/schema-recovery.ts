/**
 * Waste-heat recovery (余热回收, issue 13 point 1): recovered heat is a flow of its own, not a product. A recovery
 * names the signal measuring it, the basis of its recovery rate, and the boiler whose fuel it displaces. Compiled
 * by kpi/recovery.ts; checked against the signals, carriers and scopes by validate-recovery.ts.
 */
import { z } from 'zod';
import { Id, Label } from './primitives.ts';

const SuppliedBasis = z.strictObject({
  type: z
    .literal('supplied')
    .describe(
      'recovery rate = recovered / (recovered + the other heat supplied), % of the total heat supplied to the same network',
    ),
  signals: z
    .array(Id)
    .min(1)
    .describe(
      'the other sources feeding the same heat network (signals[].id), e.g. the boiler’s steam counter; in GJ, or steam t at the same enthalpy',
    ),
});

const AvailableBasis = z.strictObject({
  type: z.literal('available').describe('recovery rate = recovered / available waste heat, %'),
  signal: Id.describe(
    'the waste heat available for recovery (a signals[].id), in GJ, or steam t at the same enthalpy',
  ),
});

export const RecoveryBasisSchema = z
  .discriminatedUnion('type', [SuppliedBasis, AvailableBasis])
  .describe("what the recovery rate is a share of; one basis for all of a site's recoveries");

export const RecoverySchema = z.strictObject({
  id: Id.describe('recovery id, e.g. the waste-heat boiler'),
  name: Label.optional(),
  signal: Id.describe(
    'the recovered heat (a signals[].id: counter, manual, rate or virtual) in an energy unit (GJ, MJ, kWh) or as steam mass (t, kg) with steamEnthalpyGJPerT; it names no product and no carrier, so it is in no output or intensity',
  ),
  steamEnthalpyGJPerT: z
    .number()
    .positive()
    .optional()
    .describe(
      'the heat one tonne of the steam carries, GJ/t (its enthalpy less that of the feed water); needed when the recovered heat or its basis is a steam mass',
    ),
  basis: RecoveryBasisSchema,
  boilerEfficiency: z
    .number()
    .gt(0)
    .max(1)
    .describe(
      'efficiency of the boiler that would otherwise raise this heat, 0..1 (heat to steam / fuel at net calorific value): displaced fuel = recovered heat / boilerEfficiency',
    ),
  displaces: Id.describe(
    "the fuel that boiler burns (a carriers[].id): the displaced fuel's CO2 is its amount at the carrier's tce factor times its CO2 factor",
  ),
  scopes: z
    .array(
      z.strictObject({
        type: z.enum(['area', 'team']).describe('area or team'),
        id: Id.describe('the area or team id'),
      }),
    )
    .default([])
    .describe(
      "areas and teams that hold the recovery: they get its heat.* rows (a team's from its from to its to); the site always does",
    ),
});

export type RecoveryConfig = z.infer<typeof RecoverySchema>;
