/**
 * The demo's printed summary, from a period's KPI rows (pure: the test rebuilds it from the stored readings). Values
 * in each unit's precision and statuses as kpi/present.ts shows them everywhere.
 */
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
