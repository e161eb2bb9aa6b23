/**
 * Whole-document checks that a schema cannot express: references, shares, overlapping factor validity,
 * teams outside their branch. Every problem is returned at once, each with its path.
 */
import { isKnownRatioUnit, isKnownUnit, rateTimeUnitMs, unitFactor } from '../transforms/units.ts';
import { parseExpression } from './expression.ts';
import type { Problem } from './problems.ts';
import type { PlantConfig, ScopeTypeName } from './schema.ts';
import { ID_KIND, unknownId } from './suggest.ts';
import { isValidTimeZone, parseConfigTime } from './time.ts';
import { checkBaselines } from './validate-baseline.ts';
import { checkFactorLibrary } from './validate-factors.ts';
import { checkMetering } from './validate-metering.ts';
import { checkShares, checkTeamsInBranch } from './validate-org.ts';
import { checkRecovery } from './validate-recovery.ts';
import { checkResponsibility, type TaskPlace } from './validate-responsibility.ts';
import { checkSources } from './validate-sources.ts';
import { checkTargets } from './validate-targets.ts';

/** The checks the schema cannot express; `taskPlace` names where each task is (a task file's row for theirs). */
export function validatePlant(c: PlantConfig, taskPlace?: TaskPlace): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const tz = c.site.timeZone;
  if (!isValidTimeZone(tz)) {
    add('site.timeZone', `unknown IANA time zone '${tz}'`);
    return problems; // every time below depends on it
  }

  const carriers = uniqueIds(c.carriers, 'carriers', add);
  const products = uniqueIds(c.products, 'products', add);
  const signals = uniqueIds(c.signals, 'signals', add);
  const equipment = uniqueIds(c.equipment, 'equipment', add);
  const generalBranches = uniqueIds(c.organisation.generalBranches, 'organisation.generalBranches', add);
  const branches = uniqueIds(c.organisation.branches, 'organisation.branches', add);
  const areas = uniqueIds(c.organisation.areas, 'organisation.areas', add);
  const teams = uniqueIds(c.organisation.teams, 'organisation.teams', add);

  c.carriers.forEach((car, i) => {
    if (!isKnownUnit(car.unit)) add(`carriers[${i}].unit`, `unknown unit '${car.unit}'`);
  });
  c.products.forEach((p, i) => {
    if (!isKnownUnit(p.unit)) add(`products[${i}].unit`, `unknown unit '${p.unit}'`);
  });

  c.signals.forEach((s, i) => {
    const at = `signals[${i}]`;
    if (s.carrier !== undefined && s.product !== undefined) {
      add(at, `signal '${s.id}' names both a carrier and a product; a meter measures one thing`);
    }
    const target = s.carrier !== undefined ? carriers.get(s.carrier) : undefined;
    const prod = s.product !== undefined ? products.get(s.product) : undefined;
    if (s.carrier !== undefined && target === undefined)
      add(`${at}.carrier`, unknownId(ID_KIND.carrier, s.carrier, carriers.keys()));
    if (s.product !== undefined && prod === undefined)
      add(`${at}.product`, unknownId(ID_KIND.product, s.product, products.keys()));
    if (s.equipment !== undefined && !equipment.has(s.equipment)) {
      add(`${at}.equipment`, unknownId(ID_KIND.equipment, s.equipment, equipment.keys()));
    }
    const measured = c.carriers[target ?? -1]?.unit ?? c.products[prod ?? -1]?.unit;
    if (s.kind === 'counter' || s.kind === 'manual' || s.kind === 'virtual' || s.kind === 'gauge') {
      // a gauge may show a concentration or a flow (mg/m3, m3/h): one known unit over another
      if (!isKnownUnit(s.unit) && !(s.kind === 'gauge' && isKnownRatioUnit(s.unit)))
        add(`${at}.unit`, `unknown unit '${s.unit}'`);
      else if (measured !== undefined && s.kind !== 'gauge')
        checkConvertible(s.unit, measured, `${at}.unit`, add);
    }
    if (s.kind === 'rate') {
      const r = rateTimeUnitMs(s.unit);
      if (r === null) add(`${at}.unit`, `'${s.unit}' is not a rate unit (kW, MW, Nm3/h, t/h ...)`);
      else if (measured !== undefined) checkConvertible(r.amountUnit, measured, `${at}.unit`, add);
    }
    if (s.kind === 'counter' || s.kind === 'manual') {
      s.replacements.forEach((r, j) => {
        checkTime(r.at, tz, `${at}.replacements[${j}].at`, add);
      });
    }
    if (s.kind === 'virtual') {
      try {
        for (const term of parseExpression(s.expression)) {
          if (!signals.has(term.signal))
            add(`${at}.expression`, unknownId(ID_KIND.signal, term.signal, signals.keys()));
        }
      } catch (err) {
        add(`${at}.expression`, (err as Error).message);
      }
    }
  });
  checkVirtualCycles(c, add);

  c.equipment.forEach((e, i) => {
    const at = `equipment[${i}]`;
    const kindOf = (id: string) => c.signals[signals.get(id) ?? -1]?.kind;
    if (e.stateSignal !== undefined) {
      const k = kindOf(e.stateSignal);
      if (k === undefined) add(`${at}.stateSignal`, unknownId(ID_KIND.signal, e.stateSignal, signals.keys()));
      else if (k !== 'state')
        add(`${at}.stateSignal`, `'${e.stateSignal}' is a ${k} signal, not a state signal`);
      if (Object.keys(e.stateCodes).length === 0)
        add(`${at}.stateCodes`, 'a state signal needs its state codes');
    }
    for (const field of ['producedSignal', 'goodSignal'] as const) {
      const id = e[field];
      if (id === undefined) continue;
      const k = kindOf(id);
      if (k === undefined) add(`${at}.${field}`, unknownId(ID_KIND.signal, id, signals.keys()));
      else if (k === 'state' || k === 'gauge')
        add(`${at}.${field}`, `'${id}' is a ${k} signal, not a quantity`);
    }
    if (e.producedSignal !== undefined && e.stateSignal !== undefined && e.idealRatePerH === undefined) {
      add(`${at}.idealRatePerH`, 'OEE performance needs the ideal rate');
    }
  });

  c.organisation.branches.forEach((b, i) => {
    if (b.generalBranch !== undefined && !generalBranches.has(b.generalBranch)) {
      add(
        `organisation.branches[${i}].generalBranch`,
        unknownId(ID_KIND.general_branch, b.generalBranch, generalBranches.keys()),
      );
    }
  });

  const checkAssignments = (owner: 'areas' | 'teams', index: number) => {
    const o = c.organisation[owner][index]!;
    const at = `organisation.${owner}[${index}]`;
    if (!branches.has(o.branch)) add(`${at}.branch`, unknownId(ID_KIND.branch, o.branch, branches.keys()));
    o.meters.forEach((m, j) => {
      const s = c.signals[signals.get(m.signal) ?? -1];
      if (s === undefined)
        add(`${at}.meters[${j}].signal`, unknownId(ID_KIND.signal, m.signal, signals.keys()));
      else if (s.carrier === undefined) add(`${at}.meters[${j}].signal`, `'${m.signal}' measures no carrier`);
      checkRange(m.from, m.to, tz, `${at}.meters[${j}]`, add);
    });
    o.products.forEach((m, j) => {
      const s = c.signals[signals.get(m.signal) ?? -1];
      if (s === undefined)
        add(`${at}.products[${j}].signal`, unknownId(ID_KIND.signal, m.signal, signals.keys()));
      else if (s.product === undefined) {
        const r = c.recovery.findIndex((x) => x.signal === m.signal);
        add(
          `${at}.products[${j}].signal`,
          r < 0
            ? `'${m.signal}' counts no product`
            : `'${m.signal}' is recovered heat (recovery[${r}]), not a product: hold it with recovery[${r}].scopes`,
        );
      }
      checkRange(m.from, m.to, tz, `${at}.products[${j}]`, add);
    });
    o.equipment.forEach((e, j) => {
      if (!equipment.has(e.id))
        add(`${at}.equipment[${j}].id`, unknownId(ID_KIND.equipment, e.id, equipment.keys()));
      checkRange(e.from, e.to, tz, `${at}.equipment[${j}]`, add);
    });
  };
  for (let i = 0; i < c.organisation.areas.length; i++) checkAssignments('areas', i);
  c.organisation.teams.forEach((t, i) => {
    checkAssignments('teams', i);
    checkRange(t.from, t.to, tz, `organisation.teams[${i}]`, add);
  });

  if (problems.length === 0) {
    problems.push(...checkShares(c), ...checkTeamsInBranch(c));
  }

  checkFactors(c, add);
  problems.push(...checkSources(c));
  problems.push(...checkMetering(c));

  const scopeIds: Record<ScopeTypeName, Map<string, number>> = {
    site: new Map([[c.site.id, 0]]),
    committee: new Map([[c.organisation.committee.id, 0]]),
    general_branch: generalBranches,
    branch: branches,
    area: areas,
    team: teams,
    equipment,
  };
  problems.push(...checkTargets(c, scopeIds));
  problems.push(...checkResponsibility(c, scopeIds, taskPlace));
  problems.push(...checkBaselines(c, scopeIds));
  problems.push(...checkRecovery(c, { area: areas, team: teams }));
  return problems;
}

type Add = (path: string, message: string) => void;

function uniqueIds(items: readonly { id: string }[], path: string, add: Add): Map<string, number> {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    if (seen.has(item.id))
      add(`${path}[${i}].id`, `duplicate id '${item.id}' (also ${path}[${seen.get(item.id)}])`);
    else seen.set(item.id, i);
  });
  return seen;
}

function checkConvertible(from: string, to: string, path: string, add: Add): void {
  try {
    unitFactor(from, to);
  } catch {
    add(path, `unit '${from}' cannot be converted to '${to}'`);
  }
}

function checkTime(text: string, tz: string, path: string, add: Add): number | undefined {
  try {
    return parseConfigTime(text, tz);
  } catch (err) {
    add(path, (err as Error).message);
    return undefined;
  }
}

function checkRange(
  from: string | undefined,
  to: string | undefined,
  tz: string,
  path: string,
  add: Add,
): void {
  const a = from === undefined ? undefined : checkTime(from, tz, `${path}.from`, add);
  const b = to === undefined ? undefined : checkTime(to, tz, `${path}.to`, add);
  if (a !== undefined && b !== undefined && b <= a)
    add(`${path}.to`, `'to' (${to}) is not after 'from' (${from})`);
}

function checkFactors(c: PlantConfig, add: Add): void {
  c.factors.forEach((f, i) => {
    checkRange(f.from, f.to, c.site.timeZone, `factors[${i}]`, add);
  });
  checkFactorLibrary(c, add);
}

function checkVirtualCycles(c: PlantConfig, add: Add): void {
  const deps = new Map<string, string[]>();
  for (const s of c.signals) {
    if (s.kind !== 'virtual') continue;
    try {
      deps.set(
        s.id,
        parseExpression(s.expression).map((t) => t.signal),
      );
    } catch {
      // reported elsewhere
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, chain: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const i = c.signals.findIndex((s) => s.id === id);
      add(`signals[${i}].expression`, `virtual meters form a cycle: ${[...chain, id].join(' -> ')}`);
      return;
    }
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) visit(d, [...chain, id]);
    state.set(id, 'done');
  };
  for (const id of deps.keys()) visit(id, []);
}
