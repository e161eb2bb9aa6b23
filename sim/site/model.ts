/**
 * A simulated integrated magnesium site, stepped in simulated time with a seeded random generator, so the same seed
 * gives the same readings: electrolysis, chlor-alkali, an auxiliary substation, a boiler house with waste-heat
 * recovery, compressors, a casting line, a CEMS stack and the main incomer. Faults on demand: a counter rollover, a
 * recorded meter replacement, an outage of a meter, and (for the publisher) malformed payloads. Pure: no I/O, no
 * clock.
 *
 * The physics is kept plausible, so that the demo's KPIs tell a coherent story (issue 13 point 6):
 * - electrolysis makes primary magnesium at 14 MWh/t (MgCl2 cells run at about 13-15 MWh/t);
 * - the caster remelts primary and bought magnesium into ingot with a 1.5 % melt loss and casts only metal that is
 *   in its holding stock, buying 25 t when the stock runs low: cast ≤ primary + bought, always;
 * - the gas boiler raises 1 t of steam from 78 Nm3 of gas (94.7 kgce/t, about 90 % efficient at 2.5 GJ/t) until
 *   the assault team retunes its burners on 2026-10-10 (76 Nm3/t, O2 down from 3.8 % to 3.3 %); waste-heat steam
 *   is a separate flow of about 4 t/h;
 * - the stack's dry flue gas follows the gas burnt: 8.6 Nm3 per Nm3 at stoichiometry plus 9.5 Nm3 of air per Nm3
 *   for each unit of excess air, λ = 21 / (21 − O2), so about 10.4-10.7 Nm3 per Nm3 at 3.3-3.8 % O2; SO2, NOx
 *   and particulate as a gas-fired boiler with low-NOx burners shows them (mg/m3, standard dry, measured O2);
 * - the main incomer meters every line plus 0.6 % transformer and cable losses.
 */

/** mulberry32: small, fast, deterministic */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface SimReading {
  /** the unit that publishes it (topic site/<unit>/data), or 'opcua' for the casting line's PLC */
  unit: string;
  signal: string;
  timeMs: number;
  value: number;
}

export interface Faults {
  /** E-ELY counter wraps at this value */
  rolloverAt: number;
  /** start E-ELY just below rolloverAt, so that it rolls over within the first hours */
  rollover?: boolean;
  /** E-AUX meter replaced at this instant: the old one reads its final value, the new one starts at 0 */
  replaceAuxAtMs: number | null;
  /** W-CMP sends nothing in [from, to) */
  outage: { fromMs: number; toMs: number } | null;
}

export interface SimOptions {
  seed: number;
  startMs: number;
  /** simulated time per step */
  stepMs: number;
  faults: Faults;
}

const H = 3_600_000;

/** the casting line's ideal rate, t/h (equipment PK-1's idealRatePerH in the demo config) */
export const CAST_IDEAL_T_PER_H = 5;
/** share of the metal charged to the caster that is lost as dross */
export const MELT_LOSS = 0.015;
/** electrolysis, kWh per t of primary magnesium */
export const ELY_KWH_PER_T = 14_000;
/** the boiler's gas per t of steam before and after the assault team's retuning, and the O2 it runs at */
export const BOILER = {
  tunedFromMs: Date.parse('2026-10-10T00:00:00+08:00'),
  before: { gasPerT: 78, o2Pct: 3.8 },
  after: { gasPerT: 76, o2Pct: 3.3 },
} as const;
/** dry flue gas of natural gas: Nm3 per Nm3 burnt at stoichiometry, and Nm3 of air per Nm3 per unit of excess air */
const FLUE_STOICH = 8.6;
const AIR_STOICH = 9.5;
/** the main incomer's share above its line meters: transformer and cable losses */
export const INCOMER_LOSS = 0.006;

/** Dry flue gas per Nm3 of natural gas burnt at a flue-gas O2 (%): stoichiometric gas plus the excess air. */
export function fluePerNm3Gas(o2Pct: number): number {
  const lambda = 21 / (21 - o2Pct);
  return FLUE_STOICH + (lambda - 1) * AIR_STOICH;
}

/** Site state; step() advances one step and returns the readings stamped at the end of the step. */
export class SiteSim {
  private readonly r: () => number;
  private t: number;
  private stepNo = 0;
  private readonly c = {
    main: 120_000_000,
    ely: 0,
    mg: 0,
    bought: 0,
    ca: 0,
    cl2: 0,
    aux: 0,
    gas: 0,
    steam: 0,
    whr: 0,
    cast: 0,
    produced: 0,
    good: 0,
  };
  /** magnesium held for the caster, t */
  private stock = 0;
  /** the instantaneous values the gauges show at the current instant */
  private g: { cmpKw: number; o2: number; flue: number; so2: number; nox: number; dust: number };
  private auxReplaced = false;
  /** the E-AUX replacement as the maintenance crew records it, once it has happened */
  replacement: { atMs: number; oldFinal: number; newStart: number } | null = null;
  private castState = 1;
  private stopStepsLeft = 0;

  constructor(private readonly o: SimOptions) {
    this.r = rng(o.seed);
    this.t = o.startMs;
    this.c.ely = o.faults.rollover === false ? 50_000_000 : o.faults.rolloverAt - 2_000_000;
    this.c.aux = 350_000;
    this.c.gas = 2_000_000;
    this.g = this.gauges(1_800);
  }

  get timeMs(): number {
    return this.t;
  }

  /** the compressor and the stack at the current instant, the boiler burning `gasPerH` Nm3/h */
  private gauges(gasPerH: number) {
    const hourOfDay = new Date(this.t + 8 * H).getUTCHours();
    const boiler = this.t >= BOILER.tunedFromMs ? BOILER.after : BOILER.before;
    const o2 = boiler.o2Pct + 0.15 * (this.r() * 2 - 1);
    return {
      cmpKw: 750 + 80 * Math.sin((hourOfDay / 24) * 2 * Math.PI) + 20 * (this.r() - 0.5),
      o2,
      flue: gasPerH * fluePerNm3Gas(o2) * (1 + 0.01 * (this.r() * 2 - 1)),
      so2: 5 + 1.5 * Math.sin((hourOfDay / 24) * 2 * Math.PI) + this.r(),
      nox: 95 + 15 * this.r(),
      dust: 2.5 + 1.5 * this.r(),
    };
  }

  /** The readings at the current instant (the first call gives the starting values); calling it again repeats them. */
  snapshot(): SimReading[] {
    const t = this.t;
    const out: SimReading[] = [];
    const put = (unit: string, signal: string, value: number) => out.push({ unit, signal, timeMs: t, value });
    put('substation', 'E-MAIN', this.c.main);
    put('electrolysis', 'E-ELY', this.c.ely % this.o.faults.rolloverAt);
    put('electrolysis', 'P-MG', this.c.mg);
    put('chlor-alkali', 'E-CA', this.c.ca);
    put('chlor-alkali', 'P-CL2', this.c.cl2);
    put('substation', 'E-AUX', this.c.aux);
    put('boiler', 'G-BLR', this.c.gas);
    put('boiler', 'P-STM', this.c.steam);
    put('boiler', 'P-WHR', this.c.whr);
    const out_ = this.o.faults.outage;
    if (!out_ || t < out_.fromMs || t >= out_.toMs) put('compressors', 'W-CMP', this.g.cmpKw);
    put('casting', 'E-CAST', this.c.cast);
    put('casting', 'P-MGB', this.c.bought);
    put('opcua', 'PK-1.state', this.castState);
    put('opcua', 'PK-1.produced', this.c.produced);
    put('opcua', 'PK-1.good', this.c.good);
    put('cems', 'SO2', this.g.so2);
    put('cems', 'NOX', this.g.nox);
    put('cems', 'DUST', this.g.dust);
    put('cems', 'FLUE', this.g.flue);
    put('cems', 'O2', this.g.o2);
    return out;
  }

  /** Advances one step of production and consumption. */
  step(): SimReading[] {
    const h = this.o.stepMs / H;
    const noise = (pct: number) => 1 + pct * (this.r() * 2 - 1);
    const elyKwh = 60_000 * h * noise(0.03);
    this.c.ely += elyKwh;
    const primary = elyKwh / ELY_KWH_PER_T;
    this.c.mg += primary;
    this.stock += primary;
    const caKwh = 12_000 * h * noise(0.04);
    this.c.ca += caKwh;
    this.c.cl2 += caKwh / 2_400;
    const next = this.t + this.o.stepMs;
    const rep = this.o.faults.replaceAuxAtMs;
    if (rep !== null && !this.auxReplaced && this.t >= rep) {
      // the reading at `rep` was the old meter's last; from here the new meter counts from 0
      this.auxReplaced = true;
      this.replacement = { atMs: rep, oldFinal: this.c.aux, newStart: 0 };
      this.c.aux = 0;
    }
    const auxKwh = 900 * h * noise(0.05);
    this.c.aux += auxKwh;
    const boiler = this.t >= BOILER.tunedFromMs ? BOILER.after : BOILER.before;
    const gas = 1_800 * h * noise(0.05);
    this.c.gas += gas;
    // the boiler's efficiency wanders a little from step to step (load, feed-water temperature)
    this.c.steam += gas / (boiler.gasPerT * noise(0.01));
    this.c.whr += 4 * h * noise(0.1);
    // casting line: planned stop Sundays 08:00-10:00 local, random short unplanned stops
    const local = new Date(next + 8 * H);
    const planned = local.getUTCDay() === 0 && local.getUTCHours() >= 8 && local.getUTCHours() < 10;
    if (planned) this.castState = 2;
    else if (this.stopStepsLeft > 0) {
      this.stopStepsLeft--;
      this.castState = 0;
    } else if (this.r() < 0.01) {
      this.stopStepsLeft = 2;
      this.castState = 0;
    } else this.castState = 1;
    // the caster's holding stock: bought metal arrives in 25 t lots when it runs low
    if (this.stock < 8) {
      this.c.bought += 25;
      this.stock += 25;
    }
    let castKwh = 15 * h;
    if (this.castState === 1) {
      // it casts what its holding stock allows, losing MELT_LOSS of the metal charged
      const made = Math.min(CAST_IDEAL_T_PER_H * h * 0.92 * noise(0.03), this.stock * (1 - MELT_LOSS));
      this.stock -= made / (1 - MELT_LOSS);
      this.c.produced += made;
      this.c.good += made * 0.985;
      castKwh = 160 * h * noise(0.05);
    }
    this.c.cast += castKwh;
    // the compressor's energy as its meter integrates it: the trapezoid of its power at both ends of the step
    const cmpBefore = this.g.cmpKw;
    this.t = next;
    this.g = this.gauges(gas / h);
    const cmpKwh = ((cmpBefore + this.g.cmpKw) / 2) * h;
    const lines = elyKwh + caKwh + auxKwh + cmpKwh + castKwh;
    this.c.main += lines * (1 + INCOMER_LOSS * noise(0.2));
    this.stepNo++;
    return this.snapshot();
  }

  get steps(): number {
    return this.stepNo;
  }
}
