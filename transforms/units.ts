/**
 * Unit conversion by dimension. Unit strings are case-sensitive as written here. Normal cubic metres (Nm3) are a
 * dimension of their own: converting them to m3 needs pressure and temperature, which a unit table does not know.
 */
const UNITS: Record<string, { dim: string; factor: number }> = {};

function def(dim: string, units: Record<string, number>): void {
  for (const [u, f] of Object.entries(units)) UNITS[u] = { dim, factor: f };
}

def('energy', {
  Wh: 1e-3,
  kWh: 1,
  MWh: 1e3,
  GWh: 1e6,
  J: 1 / 3.6e6,
  kJ: 1 / 3.6e3,
  MJ: 1 / 3.6,
  GJ: 1e3 / 3.6,
  TJ: 1e6 / 3.6,
});
def('power', { W: 1e-3, kW: 1, MW: 1e3 });
def('volume', { L: 1e-3, m3: 1, km3: 1e3 });
def('normal_volume', { Nm3: 1, '10^4Nm3': 1e4, kNm3: 1e3 });
def('mass', { g: 1e-3, kg: 1, t: 1e3, kt: 1e6 });
def('standard_coal', { kgce: 1, tce: 1e3 });
def('co2', { gCO2: 1e-3, kgCO2: 1, tCO2: 1e3 });
def('time', { s: 1, min: 60, h: 3600, d: 86400 });
def('dimensionless', { '1': 1, '%': 0.01 });
def('count', { pcs: 1 });

export function isKnownUnit(u: string): boolean {
  return u in UNITS;
}

export function dimensionOf(u: string): string | null {
  return UNITS[u]?.dim ?? null;
}

/** Multiply a value in `from` by this to express it in `to`. */
export function unitFactor(from: string, to: string): number {
  if (from === to) return 1;
  const a = UNITS[from];
  const b = UNITS[to];
  if (a === undefined || b === undefined) {
    throw new Error(`cannot convert ${from} to ${to}: unknown unit '${a === undefined ? from : to}'`);
  }
  if (a.dim !== b.dim) throw new Error(`cannot convert ${from} to ${to}: ${a.dim} is not ${b.dim}`);
  return a.factor / b.factor;
}

export function convert(value: number, from: string, to: string): number {
  return value * unitFactor(from, to);
}

function splitRatio(u: string): [string, string] {
  const i = u.indexOf('/');
  if (i <= 0 || i === u.length - 1 || u.indexOf('/', i + 1) >= 0)
    throw new Error(`'${u}' is not a ratio unit like kgCO2/kWh`);
  return [u.slice(0, i), u.slice(i + 1)];
}

/** For ratio units: 'kgCO2/kWh' -> 'tCO2/MWh' is 1; 'kgce/Nm3' -> 'tce/10^4Nm3' is 10. */
export function ratioUnitFactor(from: string, to: string): number {
  if (from === to) return 1;
  const [fn, fd] = splitRatio(from);
  const [tn, td] = splitRatio(to);
  return unitFactor(fn, tn) / unitFactor(fd, td);
}

const RATE_TIME: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A rate's amount unit and time unit: 'kW' -> kWh per hour, 'Nm3/h' -> Nm3 per hour, 'kg/s' -> kg per second. */
export function rateTimeUnitMs(rateUnit: string): { amountUnit: string; timeUnitMs: number } | null {
  const power: Record<string, string> = { W: 'Wh', kW: 'kWh', MW: 'MWh' };
  if (power[rateUnit]) return { amountUnit: power[rateUnit]!, timeUnitMs: 3_600_000 };
  const i = rateUnit.lastIndexOf('/');
  if (i <= 0) return null;
  const amount = rateUnit.slice(0, i);
  const time = RATE_TIME[rateUnit.slice(i + 1)];
  if (time === undefined || !isKnownUnit(amount) || dimensionOf(amount) === 'time') return null;
  return { amountUnit: amount, timeUnitMs: time };
}
