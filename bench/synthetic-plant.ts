/** The benchmarks' plant: N counter meters (every fifth gas) in 50 areas of 10 branches, one product counter per area. */
import { type PlantConfig, PlantConfigSchema } from '../config/schema.ts';
import { validatePlant } from '../config/validate.ts';

export const AREAS = 50;
const BRANCHES = 10;

export function syntheticPlant(meters: number): { config: PlantConfig; ids: string[] } {
  const config = PlantConfigSchema.parse({
    site: { id: 'BENCH', timeZone: 'Asia/Shanghai', gridRegion: 'northwest' },
    carriers: [
      { id: 'electricity', unit: 'kWh', emissionScope: 2, co2Series: 'regional-grid-average' },
      { id: 'natural_gas', unit: 'Nm3', emissionScope: 1 },
    ],
    products: [{ id: 'mg', unit: 't' }],
    signals: [
      ...Array.from({ length: meters }, (_, i) => ({
        id: `M${i}`,
        kind: 'counter',
        unit: i % 5 === 0 ? 'Nm3' : 'kWh',
        carrier: i % 5 === 0 ? 'natural_gas' : 'electricity',
        rolloverAt: 100_000_000,
      })),
      ...Array.from({ length: AREAS }, (_, a) => ({
        id: `P${a}`,
        kind: 'counter',
        unit: 't',
        product: 'mg',
      })),
    ],
    organisation: {
      committee: { id: 'C' },
      branches: Array.from({ length: BRANCHES }, (_, b) => ({ id: `B${b}` })),
      areas: Array.from({ length: AREAS }, (_, a) => ({
        id: `A${a}`,
        branch: `B${a % BRANCHES}`,
        meters: Array.from({ length: meters / AREAS }, (_, k) => ({
          signal: `M${a * (meters / AREAS) + k}`,
        })),
        products: [{ signal: `P${a}` }],
      })),
    },
  });
  const problems = validatePlant(config);
  if (problems.length > 0) throw new Error(`bench plant: ${JSON.stringify(problems.slice(0, 3))}`);
  const ids = [
    ...Array.from({ length: meters }, (_, i) => `M${i}`),
    ...Array.from({ length: AREAS }, (_, a) => `P${a}`),
  ];
  return { config, ids };
}
