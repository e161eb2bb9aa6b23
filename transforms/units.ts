/**
 * Unit conversion by dimension. Unit strings are case-sensitive as written here. Normal cubic metres (Nm3) are a
 * dimension of their own: converting them to m3 needs pressure and temperature, which a unit table does not know.
 * Each dimension's factors are whole multiples of its smallest unit, so that a factor between two units is the
 * correctly rounded ratio (kWh -> MWh is exactly 0.001 as a double).
 */

const DIMENSIONS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  energy: {
    J: 1,
    kJ: 1e3,
    MJ: 1e6,
    GJ: 1e9,
    TJ: 1e12,
    Wh: 3.6e3,
    kWh: 3.6e6,
    MWh: 3.6e9,
    GWh: 3.6e12,
  },
  power: { W: 1, kW: 1e3, MW: 1e6 },
  volume: { L: 1, m3: 1e3, km3: 1e6 },
  normal_volume: { Nm3: 1, kNm3: 1e3, '10^4Nm3': 1e4 },
  mass: { mg: 1, g: 1e3, kg: 1e6, t: 1e9, kt: 1e12 },
  standard_coal: { kgce: 1, tce: 1e3 },
  co2: { gCO2: 1, kgCO2: 1e3, tCO2: 1e6 },
  time: { s: 1, min: 60, h: 3600, d: 86_400 },
  dimensionless: { '%': 1, '1': 100 },
  count: { pcs: 1 },
  // gauges only (never summed); Celsius alone, as kelvin or Fahrenheit would need an offset, not a factor
  temperature: { degC: 1, '°C': 1 },
};

const UNITS: ReadonlyMap<string, { dim: string; size: number }> = new Map(
  Object.entries(DIMENSIONS).flatMap(([dim, units]) =>
    Object.entries(units).map(([u, size]) => [u, { dim, size }] as const),
  ),
);

/** A simple unit of the table (ratio units like kgCO2/kWh are not in it, though unitFactor converts them). */
export function isKnownUnit(u: string): boolean {
  return UNITS.has(u);
}

/** One known unit over another ('mg/m3', 'm3/h', 'kgCO2/kWh'): a concentration or a flow a gauge may show. */
export function isKnownRatioUnit(u: string): boolean {
  const parts = splitRatio(u);
  return parts !== null && UNITS.has(parts[0]) && UNITS.has(parts[1]);
}

/**
 * 'energy', 'power', 'volume', 'normal_volume', 'mass', 'standard_coal', 'co2', 'time', 'dimensionless', 'count',
 * 'temperature'
 */
export function dimensionOf(u: string): string | null {
  return UNITS.get(u)?.dim ?? null;
}

/**
 * Multiply a value in `from` by this to express it in `to`. A unit converts to itself (factor 1) even when the
 * table does not know it; two ratio units convert part by part ('t/h' -> 'kg/s'). Otherwise throws
 * Error('cannot convert X to Y: <why>') for unknown units and different dimensions.
 */
export function unitFactor(from: string, to: string): number {
  const f = factorOrWhy(from, to);
  if (typeof f === 'string') throw new Error(`cannot convert ${from} to ${to}: ${f}`);
  return f;
}

export function convert(value: number, from: string, to: string): number {
  return value * unitFactor(from, to);
}

/**
 * Multiply a ratio in `from` by this to express it in `to`: 'kgCO2/kWh' -> 'tCO2/MWh' is 1,
 * 'kgce/Nm3' -> 'tce/10^4Nm3' is 10. Throws when either is not a ratio unit or the parts do not convert.
 */
export function ratioUnitFactor(from: string, to: string): number {
  for (const u of [from, to])
    if (splitRatio(u) === null)
      throw new Error(`cannot convert ${from} to ${to}: '${u}' is not a ratio unit`);
  return unitFactor(from, to);
}

/** 'a/b' -> ['a', 'b']; null when u is not one unit over another */
function splitRatio(u: string): [string, string] | null {
  const parts = u.split('/');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '' ? [parts[0]!, parts[1]!] : null;
}

/** the factor, or why there is none */
function factorOrWhy(from: string, to: string): number | string {
  if (from === to) return 1;
  const fr = splitRatio(from);
  const tr = splitRatio(to);
  if (fr === null && tr === null) return simpleFactorOrWhy(from, to);
  if (fr === null || tr === null) return `'${fr === null ? to : from}' is a ratio unit and the other is not`;
  const num = simpleFactorOrWhy(fr[0], tr[0]);
  if (typeof num === 'string') return num;
  const den = simpleFactorOrWhy(fr[1], tr[1]);
  if (typeof den === 'string') return den;
  return num / den;
}

function simpleFactorOrWhy(from: string, to: string): number | string {
  const a = UNITS.get(from);
  const b = UNITS.get(to);
  if (a === undefined || b === undefined) return `unknown unit '${a === undefined ? from : to}'`;
  if (a.dim !== b.dim) return `${a.dim} is not ${b.dim}`;
  return a.size / b.size;
}

const RATE_TIME_MS: ReadonlyMap<string, number> = new Map([
  ['s', 1000],
  ['min', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
]);
const POWER_AMOUNT: ReadonlyMap<string, string> = new Map([
  ['W', 'Wh'],
  ['kW', 'kWh'],
  ['MW', 'MWh'],
]);

/**
 * A rate unit's amount unit and the length of its time unit: 'kW' -> kWh per hour, 'Nm3/h' -> Nm3 per hour,
 * 'kg/s' -> kg per second. null when the unit is not a rate.
 */
export function rateTimeUnitMs(rateUnit: string): { amountUnit: string; timeUnitMs: number } | null {
  const energy = POWER_AMOUNT.get(rateUnit);
  if (energy !== undefined) return { amountUnit: energy, timeUnitMs: 3_600_000 };
  const i = rateUnit.lastIndexOf('/');
  if (i <= 0) return null;
  const amount = rateUnit.slice(0, i);
  const timeUnitMs = RATE_TIME_MS.get(rateUnit.slice(i + 1));
  const dim = dimensionOf(amount);
  if (timeUnitMs === undefined || dim === null || dim === 'time' || dim === 'power') return null;
  return { amountUnit: amount, timeUnitMs };
}
