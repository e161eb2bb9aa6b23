/** The savings, balance, recovery and CEMS panels are generated only for a plant that declares them, in their units and zone. */
import { describe, expect, it } from 'vitest';
import { type BoardSite, boards } from './boards.ts';
import { grafanaJson } from './grafana.ts';

const PLAIN: BoardSite = {
  timeZone: 'Asia/Shanghai',
  carriers: [
    { id: 'electricity', unit: 'kWh' },
    { id: 'natural_gas', unit: 'Nm3' },
  ],
  outputUnit: 't',
  producedUnit: 't',
  scorecard: false,
  teamSavings: false,
  balances: [],
  recovery: false,
  cems: undefined,
};

const titles = (site: BoardSite, uid: string) =>
  boards(site)
    .find((b) => b.uid === uid)!
    .panels.map((p) => p.title);

describe('issue 13 panels', () => {
  it('none for a plant without baselines, balances or stacks', () => {
    const all = boards(PLAIN).flatMap((b) => b.panels.map((p) => p.title));
    expect(all.filter((t) => /节能|平衡|未计量|污染物|超标|余热/.test(t))).toEqual([]);
  });

  it("a recovery: the site's recovered GJ per day and a table per holder of the four recovery KPIs", () => {
    const site = { ...PLAIN, recovery: true };
    const energy = boards(site).find((b) => b.uid === 'plantkpi-energy')!;
    const [daily, table] = energy.panels.slice(-2);
    expect(daily!.period).toBe('day');
    expect(daily!.queries[0]!.query).toContain(`"scope_type" = 'site' AND "kpi" = 'heat.recovered'`);
    expect(daily!.queries[0]!.query).toContain("tz('Asia/Shanghai')");
    expect(table!.merge).toBe(true);
    expect(table!.queries.map((q) => [q.unit, /"kpi" = '([a-z0-9_.]+)'/.exec(q.query)![1]])).toEqual([
      ['GJ', 'heat.recovered'],
      ['%', 'heat.recovery_rate'],
      ['tce', 'heat.displaced_fuel'],
      ['tCO2', 'emissions.co2.avoided'],
    ]);
    expect(table!.queries.every((q) => q.query.includes('GROUP BY "scope_type", "scope_id"'))).toBe(true);
  });

  it('a team baseline: savings per month with the running total, and the fit table, on the teams board', () => {
    const site = { ...PLAIN, teamSavings: true };
    const teams = boards(site).find((b) => b.uid === 'plantkpi-teams')!;
    const [savings, fit] = teams.panels.slice(-2);
    expect(savings!.period).toBe('month');
    expect(savings!.queries.map((q) => [q.unit, /'(savings[.a-z]+)'/.exec(q.query)![1]])).toEqual([
      ['tce', 'savings.tce'],
      ['tce', 'savings.cumulative.tce'],
    ]);
    expect(fit!.merge).toBe(true);
    expect(fit!.queries.map((q) => q.unit)).toEqual(['flag', 'R2', '%', '%', 'tce', '%']);
    // the R² column shows 4 decimals, the flag as words
    const json = grafanaJson(teams, site) as {
      panels: { fieldConfig: { overrides: { matcher: { options: string }; properties: unknown[] }[] } }[];
    };
    const overrides = json.panels.at(-1)!.fieldConfig.overrides;
    expect(overrides.find((o) => o.matcher.options === 'R²')!.properties).toEqual([
      { id: 'unit', value: 'suffix: R2' },
      { id: 'decimals', value: 4 },
    ]);
  });

  it('balances: loss rate per day and per month red above each threshold, the unmetered per carrier unit', () => {
    const site: BoardSite = {
      ...PLAIN,
      balances: [
        { id: 'EB-1', name: '全厂电平衡 Site balance', unit: 'kWh', lossAlarmPct: 2 },
        { id: 'EB-2', unit: 'kWh' },
        { id: 'GB-1', unit: 'Nm3', lossAlarmPct: 5 },
      ],
    };
    expect(titles(site, 'plantkpi-energy').filter((t) => /平衡|未计量/.test(t))).toEqual([
      '计量平衡损耗率 Metering balance loss rate, % (daily; red above the alarm threshold)',
      '计量平衡损耗率 Metering balance loss rate, % (per month; red above the alarm threshold)',
      '未计量差额 Unmetered remainder (main − submeters), kWh (daily)',
      '未计量差额 Unmetered remainder (main − submeters), Nm3 (daily)',
    ]);
    const energy = boards(site).find((b) => b.uid === 'plantkpi-energy')!;
    const daily = energy.panels.find((p) => p.title.includes('(daily; red'))!;
    expect(daily.queries.map((q) => [q.alias, q.alarmAbove, q.provisional ?? false])).toEqual([
      ['全厂电平衡 Site balance', 2, false],
      ['暂定 provisional 全厂电平衡 Site balance', undefined, true],
      ['EB-2', undefined, false],
      ['暂定 provisional EB-2', undefined, true],
      ['GB-1', 5, false],
      ['暂定 provisional GB-1', undefined, true],
    ]);
    expect(daily.queries[0]!.query).toContain(`"kpi" = 'balance.EB-1.loss_pct'`);
    expect(daily.queries[0]!.query).toContain(`tz('Asia/Shanghai')`);
    const json = grafanaJson(energy, site) as {
      panels: {
        title: string;
        fieldConfig: {
          overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[];
        };
      }[];
    };
    const reds = json.panels
      .find((p) => p.title === daily.title)!
      .fieldConfig.overrides.filter((o) => o.properties.some((p) => p.id === 'thresholds'));
    expect(
      reds.map((o) => [
        o.matcher.options,
        (o.properties[0]!.value as { steps: { value: number | null }[] }).steps[1]!.value,
      ]),
    ).toEqual([
      ['A', 2],
      ['E', 5],
    ]);
  });

  it('CEMS: mass per pollutant measured, exceedance hours only for those with a limit', () => {
    const site: BoardSite = { ...PLAIN, cems: { pollutants: ['so2', 'particulate'], limited: ['so2'] } };
    const carbon = boards(site).find((b) => b.uid === 'plantkpi-carbon')!;
    const [mass, hours] = carbon.panels.filter((p) => /污染物|超标/.test(p.title));
    expect(mass!.queries.filter((q) => !q.provisional).map((q) => [q.alias, q.unit])).toEqual([
      ['二氧化硫 SO2 排放量 mass', 'kg'],
      ['颗粒物 particulate 排放量 mass', 'kg'],
    ]);
    expect(hours!.queries.filter((q) => !q.provisional).map((q) => [q.alias, q.unit])).toEqual([
      ['二氧化硫 SO2 超标小时 exceedance hours', 'h'],
    ]);
    const none = { ...site, cems: { pollutants: ['nox' as const], limited: [] } };
    expect(titles(none, 'plantkpi-carbon').filter((t) => /超标/.test(t))).toEqual([]);
  });
});
