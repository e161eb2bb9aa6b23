/**
 * The demo's printed summary, from a period's KPI rows (pure: the test rebuilds it from the stored readings). Values
 * in each unit's precision and statuses as kpi/present.ts shows them everywhere.
 */

import type { SavingsResult } from '../../kpi/baseline/stage.ts';
import type { Plant } from '../../kpi/plant.ts';
import { formatValue, PROVISIONAL_LABEL, STATUS_LABELS } from '../../kpi/present.ts';
import type { KpiRow, PeriodResult, TargetRow } from '../../kpi/rows.ts';

const num = formatValue;

export function demoSummary(result: PeriodResult, plant: Plant): string {
  const row = (kpi: string, type: string, id: string): KpiRow | undefined =>
    result.kpis.find((r) => r.kpi === kpi && r.scope_type === type && r.scope_id === id);
  const v = (kpi: string, type: string, id: string) => row(kpi, type, id)?.value;
  const lines: string[] = [];
  lines.push(`期间 Period ${result.period} (${result.timeZone})`);

  const site = plant.site.id;
  const carriers = [...plant.carriers.values()]
    .map((car) => {
      const x = v(`energy.${car.id}`, 'site', site);
      return x === undefined ? null : `${car.name ?? car.id} ${num(x, car.unit)} ${car.unit}`;
    })
    .filter(Boolean);
  lines.push(`厂区 Site ${plant.site.name ?? site}`);
  lines.push(`  能耗 Energy: ${carriers.join('; ')}`);
  lines.push(`  综合能耗 Comprehensive energy: ${num(v('energy.total', 'site', site) ?? 0, 'tce')} tce`);
  lines.push(
    `  二氧化碳 CO2: ${num(v('emissions.co2', 'site', site) ?? 0, 'tCO2')} t ` +
      `(范围一 scope 1 ${num(v('emissions.co2.scope1', 'site', site) ?? 0, 'tCO2')} t, ` +
      `范围二 scope 2 ${num(v('emissions.co2.scope2', 'site', site) ?? 0, 'tCO2')} t)`,
  );

  lines.push(...siteFlows(plant, v));

  const target = (type: string, id: string, kpi: string) =>
    result.targets.find((t) => t.scope_type === type && t.scope_id === id && t.kpi === kpi);
  const intensityLine = (type: string, id: string, name: string | undefined) => {
    const r = row('intensity.energy', type, id);
    if (r === undefined) return `  ${id} ${name ?? ''}: 无单一产品 no single product`;
    const t = target(type, id, 'intensity.energy');
    const goal = t ? goalText(t, r.unit) : '';
    return `  ${id} ${name ?? ''}: ${num(r.value, r.unit)} ${r.unit}${r.provisional ? ` (${PROVISIONAL_LABEL})` : ''}${goal}`;
  };
  lines.push('党支部 Branches — 单位产品综合能耗 energy intensity');
  for (const b of plant.branches) lines.push(intensityLine('branch', b.id, b.name));
  lines.push('党员责任区 Responsibility areas — 单位产品综合能耗 energy intensity');
  for (const a of plant.areas) lines.push(intensityLine('area', a.id, a.name));
  lines.push('党员突击队 Assault teams');
  for (const t of plant.teams) {
    const e = v('energy.total', 'team', t.id);
    if (e === undefined) {
      lines.push(`  ${t.id} ${t.name ?? ''}: 本期未活动 not active in this period`);
      continue;
    }
    lines.push(`${intensityLine('team', t.id, t.name)}  (综合能耗 ${num(e, 'tce')} tce)`);
  }
  lines.push('设备 Equipment — OEE');
  for (const e of plant.equipment.values()) {
    const oee = v('oee', 'equipment', e.id);
    if (oee === undefined) {
      lines.push(`  ${e.id} ${e.name ?? ''}: 无数据 no data`);
      continue;
    }
    const t = target('equipment', e.id, 'oee');
    lines.push(
      `  ${e.id} ${e.name ?? ''}: OEE ${num(oee, '1')} (开动率 A ${num(v('oee.availability', 'equipment', e.id) ?? 0, '1')}, ` +
        `性能 P ${num(v('oee.performance', 'equipment', e.id) ?? 0, '1')}, 合格 Q ${num(v('oee.quality', 'equipment', e.id) ?? 0, '1')})` +
        (t ? goalText(t, '1') : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** "  目标 target <= 1,800.00 达标 met": the target in the KPI's unit, the status zh-CN with English. */
function goalText(t: TargetRow, unit: string): string {
  const bound =
    t.target_max !== undefined ? `<= ${num(t.target_max, unit)}` : `>= ${num(t.target_min, unit)}`;
  return `  目标 target ${bound} ${STATUS_LABELS[t.status]}`;
}

type Value = (kpi: string, type: string, id: string) => number | undefined;

/** The site's own flows: recovered heat, the metering balances, the stack's pollutants (each only when configured). */
function siteFlows(plant: Plant, v: Value): string[] {
  const site = plant.site.id;
  const s = (kpi: string) => v(kpi, 'site', site);
  const lines: string[] = [];
  const heat = s('heat.recovered');
  if (heat !== undefined) {
    const rate = s('heat.recovery_rate');
    lines.push(
      `  余热回收 Recovered heat: ${num(heat, 'GJ')} GJ` +
        (rate === undefined ? '' : `, ${num(rate, '%')} % ${plant.names.get('heat.recovery_rate') ?? ''}`) +
        `; 替代燃料 displaces ${num(s('heat.displaced_fuel') ?? 0, 'tce')} tce, ` +
        `减排 avoids ${num(s('emissions.co2.avoided') ?? 0, 'tCO2')} tCO2`,
    );
  }
  for (const b of plant.balances) {
    const loss = s(`balance.${b.id}.loss_pct`);
    if (loss === undefined) continue;
    const unit = plant.carriers.get(b.carrier)!.unit;
    const alarm = s(`balance.${b.id}.alarm`);
    lines.push(
      `  计量平衡 ${b.name ?? b.id}: 未计量 unmetered ${num(s(`balance.${b.id}.unmetered`) ?? 0, unit)} ${unit}, ` +
        `损耗率 loss ${num(loss, '%')} %` +
        (alarm === undefined
          ? ''
          : alarm === 1
            ? ' 告警 ALARM'
            : ` (告警阈值 alarm above ${b.lossAlarmPct} %)`),
    );
  }
  const pollutants = [
    ['so2', 'SO2'],
    ['nox', 'NOx'],
    ['particulate', '颗粒物 particulate'],
  ]
    .filter(([p]) => s(`emissions.${p}.mass`) !== undefined)
    .map(([p, label]) => {
      const hours = s(`emissions.${p}.exceedance_hours`);
      return `${label} ${num(s(`emissions.${p}.mass`)!, 'kg')} kg${hours === undefined ? '' : ` (超标 ${num(hours, 'h')} h)`}`;
    });
  if (pollutants.length > 0) lines.push(`  烟气排放 Stack emissions: ${pollutants.join('; ')}`);
  return lines;
}

/**
 * The baselines' savings in a few lines: the model and its fit, the period's savings in the energy's unit, tce and
 * tCO2 with the rate, the cumulative savings and when they count from.
 */
export function demoSavingsSummary(r: SavingsResult, plant: Plant): string {
  const lines = [
    `节能量 Savings ${r.period} (ISO 50006; 明细 details: plantkpi savings --period ${r.period})`,
  ];
  for (const b of r.baselines) {
    const row = (kpi: string) =>
      r.rows.find((x) => x.kpi === kpi && x.scope_type === b.scope.type && x.scope_id === b.scope.id);
    const scope = b.scope.type === 'team' ? plant.teams.find((t) => t.id === b.scope.id) : undefined;
    const model = b.model === 'ratio' ? `${b.slopes[0]!.toFixed(2)} ${b.unit}/${b.drivers[0]}` : b.model;
    lines.push(
      `  ${b.scope.id} ${scope?.name ?? ''} — 基准 baseline ${b.id}: ${model} ` +
        `(${b.baselinePeriod}, ${b.stats.n} ${b.granularity}s, CV(RMSE) ${b.stats.cvrmsePct.toFixed(1)} %${b.pass ? '' : ', 不符合 outside ASHRAE G14'})`,
    );
    const saved = row('savings.energy');
    if (saved === undefined) {
      lines.push('    本期无节能量 no savings in this period');
      continue;
    }
    const pct = row('savings.pct');
    lines.push(
      `    节能量 saved ${num(saved.value, saved.unit)} ${saved.unit} = ${num(row('savings.tce')?.value ?? 0, 'tce')} tce, ` +
        `${num(row('savings.co2')?.value ?? 0, 'tCO2')} tCO2` +
        (pct === undefined ? '' : ` (${num(pct.value, '%')} %)`) +
        (saved.provisional ? ` (${PROVISIONAL_LABEL})` : ''),
    );
    const cum = row('savings.cumulative.tce');
    if (cum !== undefined && b.cumulativeFrom !== null)
      lines.push(`    累计 cumulative since ${b.cumulativeFrom}: ${num(cum.value, 'tce')} tce`);
  }
  return `${lines.join('\n')}\n`;
}
