/**
 * A simulated integrated magnesium site, stepped in simulated time with a seeded random generator, so the same seed
 * gives the same readings: electrolysis, chlor-alkali, an auxiliary substation, a boiler house with waste-heat
 * recovery, compressors, a casting line and a CEMS stack. Faults on demand: a counter rollover, a recorded meter
 * replacement, an outage of a meter, and (for the publisher) malformed payloads. Pure: no I/O, no clock.
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

/** Site state; step() advances one step and returns the readings stamped at the end of the step. */
export class SiteSim {
  private readonly r: () => number;
  private t: number;
  private stepNo = 0;
  private readonly c = {
    ely: 0,
    mg: 0,
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
  }

  get timeMs(): number {
    return this.t;
  }

  /** The readings at the current instant (the first call gives the starting values). */
  snapshot(): SimReading[] {
    const t = this.t;
    const hourOfDay = new Date(t + 8 * H).getUTCHours();
    const out: SimReading[] = [];
    const put = (unit: string, signal: string, value: number) => out.push({ unit, signal, timeMs: t, value });
    put('electrolysis', 'E-ELY', this.c.ely % this.o.faults.rolloverAt);
    put('electrolysis', 'P-MG', this.c.mg);
    put('chlor-alkali', 'E-CA', this.c.ca);
    put('chlor-alkali', 'P-CL2', this.c.cl2);
    put('substation', 'E-AUX', this.c.aux);
    put('boiler', 'G-BLR', this.c.gas);
    put('boiler', 'P-STM', this.c.steam);
    put('boiler', 'P-WHR', this.c.whr);
    const out_ = this.o.faults.outage;
    if (!out_ || t < out_.fromMs || t >= out_.toMs) {
      put(
        'compressors',
        'W-CMP',
        750 + 80 * Math.sin((hourOfDay / 24) * 2 * Math.PI) + 20 * (this.r() - 0.5),
      );
    }
    put('casting', 'E-CAST', this.c.cast);
    put('opcua', 'PK-1.state', this.castState);
    put('opcua', 'PK-1.produced', this.c.produced);
    put('opcua', 'PK-1.good', this.c.good);
    put('cems', 'SO2', 35 + 8 * Math.sin((hourOfDay / 24) * 2 * Math.PI) + 4 * this.r());
    put('cems', 'NOX', 110 + 15 * this.r());
    put('cems', 'DUST', 6 + 2 * this.r());
    put('cems', 'FLUE', 180_000 + 10_000 * (this.r() - 0.5));
    return out;
  }

  /** Advances one step of production and consumption. */
  step(): SimReading[] {
    const h = this.o.stepMs / H;
    const noise = (pct: number) => 1 + pct * (this.r() * 2 - 1);
    const elyKwh = 60_000 * h * noise(0.03);
    this.c.ely += elyKwh;
    this.c.mg += elyKwh / 14_000;
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
    this.c.aux += 900 * h * noise(0.05);
    const gas = 1_800 * h * noise(0.05);
    this.c.gas += gas;
    this.c.steam += gas / 78;
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
    if (this.castState === 1) {
      const made = 10 * h * 0.92 * noise(0.03);
      this.c.produced += made;
      this.c.good += made * 0.985;
      this.c.cast += 320 * h * noise(0.05);
    } else this.c.cast += 20 * h;
    this.t = next;
    this.stepNo++;
    return this.snapshot();
  }

  get steps(): number {
    return this.stepNo;
  }
}
