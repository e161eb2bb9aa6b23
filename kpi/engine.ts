/**
 * Pure: every KPI row of one period from the readings of that period. The same code path serves the CLI,
 * the jobs and the exports; reading the store is done before (load.ts), never in here.
 */
import { completeness } from '../transforms/completeness.ts';
import type { Period } from '../transforms/periods.ts';
import { splitPoints } from '../transforms/periods.ts';
import { computeAmounts, type SignalAmounts } from './amounts.ts';
import { balanceRows } from './balance.ts';
import { type CemsOutput, cemsRows } from './cems.ts';
import type { PeriodData } from './load.ts';
import { equipmentResult } from './oee.ts';
import type { Plant, Scope } from './plant.ts';
import type { Signal as PlantSignal } from './plant-signals.ts';
import { recoveryRows } from './recovery.ts';
import { compareRows, type KpiRow, type PeriodResult, type ScopeKind, type SignalQuality } from './rows.ts';
import { addSums, type ScopeSums, SegmentFactors, scopeSums } from './sums.ts';
import { targetRows } from './targets.ts';

export function computePeriod(plant: Plant, data: PeriodData, period: Period): PeriodResult {
  const points = periodPoints(plant, period);
  return computeFromAmounts(plant, computeAmounts(plant, data, points), data, period, points);
}

/** Where a period is cut: its ends and every assignment or factor change inside it. */
export function periodPoints(plant: Plant, period: Period): number[] {
  return splitPoints(period.startMs, period.endMs, plant.changePointsMs);
}

/**
 * The rows from the signals' amounts per segment; `data` needs only the state and gauge signals' readings
 * (quantity signals are already reduced to amounts, so a run can stream them one by one).
 */
export function computeFromAmounts(
  plant: Plant,
  amounts: Map<string, SignalAmounts>,
  data: PeriodData,
  period: Period,
  points: readonly number[],
): PeriodResult {
  const factors = new SegmentFactors(plant, points);
  const stateQuality = otherQuality(plant, data, period);
  const low = lowQuality(plant, amounts, stateQuality);
  const rows: KpiRow[] = [];
  const emit = (type: ScopeKind, id: string, sums: ScopeSums) =>
    rows.push(...sumsRows(plant, type, id, period, sums, low));

  const own = (s: Scope) => scopeSums(plant, s, amounts, points, factors);
  const siteSums = own(plant.site);
  emit('site', plant.site.id, siteSums);
  const areaSums = new Map(plant.areas.map((a) => [a.id, own(a)]));
  const branchSums = new Map<string, ScopeSums>();
  for (const b of plant.branches) {
    const sums = addSums(plant.areas.filter((a) => a.parent === b.id).map((a) => areaSums.get(a.id)!));
    branchSums.set(b.id, sums);
    emit('branch', b.id, sums);
  }
  for (const g of plant.generalBranches) {
    emit(
      'general_branch',
      g.id,
      addSums(plant.branches.filter((b) => b.parent === g.id).map((b) => branchSums.get(b.id)!)),
    );
  }
  emit('committee', plant.committee.id, addSums([...branchSums.values()]));
  for (const a of plant.areas) emit('area', a.id, areaSums.get(a.id)!);
  // teams overlay areas: reported for themselves, never added into a branch or the committee
  for (const t of plant.teams) {
    const active = [...t.meters, ...t.products].some(
      (x) => x.fromMs < period.endMs && x.toMs > period.startMs,
    );
    if (active) emit('team', t.id, own(t));
  }

  for (const id of plant.equipment.keys()) {
    const eq = plant.equipment.get(id)!;
    const r = equipmentResult(
      plant,
      id,
      eq.stateSignal ? data.get(eq.stateSignal) : undefined,
      amounts,
      period.startMs,
      period.endMs,
    );
    const provisional = r.signals.some((s) => low.has(s));
    const row = (kpi: string, value: number, unit: string) =>
      rows.push({
        kpi,
        scope_type: 'equipment',
        scope_id: id,
        period: period.label,
        value,
        unit,
        provisional,
      });
    if (r.oee) {
      row('oee', r.oee.oee, '1');
      row('oee.availability', r.oee.availability, '1');
      row('oee.performance', r.oee.performance, '1');
      row('oee.quality', r.oee.quality, '1');
      row('oee.loss.availability', r.oee.lossH.availability, 'h');
      row('oee.loss.performance', r.oee.lossH.performance, 'h');
      row('oee.loss.quality', r.oee.lossH.quality, 'h');
    }
    if (r.specificEnergy) row('energy.specific', r.specificEnergy.value, r.specificEnergy.unit);
  }

  // metering balances and CEMS: site rows of their own (balance.ts, cems.ts); none without the config sections
  rows.push(...balanceRows(plant, amounts, period, low));
  // recovered heat: the site's and its holders' rows, never in a scope's output (recovery.ts)
  rows.push(...recoveryRows(plant, amounts, points, period, low));
  if (plant.cems !== undefined)
    rows.push(...cemsRows(plant, plant.cems, data, period, low, cemsOutput(plant, siteSums, low)));

  rows.sort(compareRows);
  const quality = [...[...amounts.values()].map((a) => a.quality), ...stateQuality];
  quality.sort((a, b) => (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : 0));
  return {
    period: period.label,
    startMs: period.startMs,
    endMs: period.endMs,
    timeZone: period.timeZone,
    kpis: rows,
    targets: targetRows(plant.targets, period, rows),
    quality,
  };
}

function sumsRows(
  plant: Plant,
  type: ScopeKind,
  id: string,
  period: Period,
  sums: ScopeSums,
  low: Set<string>,
): KpiRow[] {
  const rows: KpiRow[] = [];
  // a row is provisional only when a meter it rests on is incomplete or reset
  const restsOnLow = (pred: (s: PlantSignal) => boolean) =>
    [...sums.signals].some((id) => {
      const s = plant.signals.get(id);
      return s !== undefined && pred(s) && low.has(id);
    });
  const row = (kpi: string, value: number, unit: string, provisional: boolean) =>
    rows.push({ kpi, scope_type: type, scope_id: id, period: period.label, value, unit, provisional });

  const energyLow = restsOnLow((s) => s.carrier !== undefined);
  const emittingLow = restsOnLow((s) => s.carrier !== undefined && s.emissionScope !== 'none');
  const scopeLow = (scope: 1 | 2 | 3) =>
    restsOnLow((s) => s.carrier !== undefined && s.emissionScope === scope);
  for (const [carrier, amount] of sums.carriers) {
    row(
      `energy.${carrier}`,
      amount,
      plant.carriers.get(carrier)!.unit,
      restsOnLow((s) => s.carrier === carrier),
    );
  }
  row('energy.total', sums.tceKg / 1000, 'tce', energyLow);
  if (plant.reportsEqualValue) row('energy.total.equal_value', sums.tceEqualKg / 1000, 'tce', energyLow);
  const co2 = sums.co2Kg[1] + sums.co2Kg[2] + sums.co2Kg[3];
  const processLow = restsOnLow((s) => plant.processEmissions.some((pe) => pe.signal === s.id));
  row('emissions.co2', co2 / 1000, 'tCO2', emittingLow || processLow);
  if (plant.processEmissions.length > 0)
    row('emissions.co2.process', sums.co2ProcessKg / 1000, 'tCO2', processLow);
  row('emissions.co2.scope1', sums.co2Kg[1] / 1000, 'tCO2', scopeLow(1) || processLow);
  row('emissions.co2.scope2', sums.co2Kg[2] / 1000, 'tCO2', scopeLow(2));
  if (sums.co2Kg[3] !== 0) row('emissions.co2.scope3', sums.co2Kg[3] / 1000, 'tCO2', scopeLow(3));
  for (const [product, amount] of sums.products) {
    row(
      `output.${product}`,
      amount,
      plant.products.get(product)!.unit,
      restsOnLow((s) => s.product === product),
    );
  }
  if (sums.products.size === 1) {
    const [product, output] = [...sums.products][0]!;
    const unit = plant.products.get(product)!.unit;
    const outputLow = restsOnLow((s) => s.product === product);
    if (output > 0) {
      // an intensity rests on both its parts
      row('intensity.energy', sums.tceKg / output, `kgce/${unit}`, energyLow || outputLow);
      row('intensity.carbon', co2 / 1000 / output, `tCO2/${unit}`, emittingLow || processLow || outputLow);
    }
  }
  return rows;
}

/** Signals below the completeness threshold, or whose values rest on a guess (reset, unknown final reading). */
function lowQuality(plant: Plant, amounts: Map<string, SignalAmounts>, others: SignalQuality[]): Set<string> {
  const threshold = plant.provisionalBelow;
  const out = new Set<string>();
  for (const [id, a] of amounts) if (a.suspect || a.quality.completeness < threshold) out.add(id);
  for (const q of others) if (q.completeness < threshold) out.add(q.signal);
  return out;
}

/** Completeness of the state and gauge signals, which have no amounts. */
function otherQuality(plant: Plant, data: PeriodData, period: Period): SignalQuality[] {
  const out: SignalQuality[] = [];
  for (const [id, s] of plant.signals) {
    if (s.kind !== 'state' && s.kind !== 'gauge') continue;
    const times = data.get(id)?.times ?? new Float64Array(0);
    const c = completeness(times, period.startMs, period.endMs, s.sampleIntervalMs);
    out.push({ signal: id, completeness: c.ratio, expected: c.expected, present: c.present, notes: [] });
  }
  return out;
}

/** The site's output of the product the CEMS masses are per, provisional when a meter of it is incomplete. */
function cemsOutput(plant: Plant, site: ScopeSums, low: Set<string>): CemsOutput | undefined {
  const product = plant.cems?.product;
  if (product === undefined) return undefined;
  const provisional = [...site.signals].some(
    (id) => plant.signals.get(id)?.product === product && low.has(id),
  );
  return { amount: site.products.get(product) ?? 0, unit: plant.products.get(product)!.unit, provisional };
}
