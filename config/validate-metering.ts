/**
 * Checks of the metering balances and the CEMS stacks against the signals, carriers and products: unknown ids (with
 * did-you-mean), meters of another carrier, a meter listed twice in one balance tree, balances nested in a cycle or
 * under two parents, CEMS gauges of the wrong kind or unit. Every problem with its path.
 */
import { unitFactor } from '../transforms/units.ts';
import type { Problem } from './problems.ts';
import type { PlantConfig, SignalConfig } from './schema.ts';
import { ID_KIND, unknownId } from './suggest.ts';

type Add = (path: string, message: string) => void;

export function checkMetering(c: PlantConfig): Problem[] {
  const problems: Problem[] = [];
  const add: Add = (path, message) => problems.push({ path, message });
  checkBalances(c, add);
  checkCems(c, add);
  return problems;
}

const QUANTITY = new Set(['counter', 'manual', 'rate', 'virtual']);

function checkBalances(c: PlantConfig, add: Add): void {
  const signals = new Map(c.signals.map((s) => [s.id, s]));
  const carriers = new Set(c.carriers.map((x) => x.id));
  const index = new Map<string, number>();
  c.balances.forEach((b, i) => {
    if (index.has(b.id))
      add(`balances[${i}].id`, `duplicate id '${b.id}' (also balances[${index.get(b.id)}])`);
    else index.set(b.id, i);
  });

  // each meter: known, a quantity, of the balance's carrier
  const meter = (id: string, carrier: string, path: string) => {
    const s = signals.get(id);
    if (s === undefined) {
      add(path, unknownId(ID_KIND.signal, id, signals.keys()));
      return;
    }
    if (!QUANTITY.has(s.kind))
      add(path, `'${id}' is a ${s.kind} signal: a balance needs meters (counter, manual, rate, virtual)`);
    else if (carriers.has(carrier) && s.carrier !== carrier)
      add(
        path,
        `'${id}' measures ${s.carrier === undefined ? 'no carrier' : `'${s.carrier}'`}, not the balance's carrier '${carrier}'`,
      );
  };
  const parentOf = new Map<number, string>();
  c.balances.forEach((b, i) => {
    const at = `balances[${i}]`;
    if (!carriers.has(b.carrier)) add(`${at}.carrier`, unknownId(ID_KIND.carrier, b.carrier, carriers));
    meter(b.main, b.carrier, `${at}.main`);
    b.submeters.forEach((s, j) => {
      if ('signal' in s) {
        meter(s.signal, b.carrier, `${at}.submeters[${j}].signal`);
        return;
      }
      const path = `${at}.submeters[${j}].balance`;
      const k = index.get(s.balance);
      if (k === undefined) {
        add(path, unknownId(ID_KIND.balance, s.balance, index.keys()));
        return;
      }
      const nested = c.balances[k]!;
      if (nested.carrier !== b.carrier)
        add(path, `balance '${s.balance}' balances '${nested.carrier}', not '${b.carrier}'`);
      if (parentOf.has(k) && k !== i)
        add(path, `balance '${s.balance}' is already nested in ${parentOf.get(k)}: a balance has one parent`);
      else parentOf.set(k, at);
    });
  });
  if (checkBalanceCycles(c, index, add)) return;

  // a meter counted twice in one tree would be subtracted twice
  c.balances.forEach((b, i) => {
    if (parentOf.has(i)) return; // walked from its root
    const seen = new Map<string, string>();
    const walk = (k: number) => {
      const at = `balances[${k}]`;
      const bk = c.balances[k]!;
      const see = (id: string, path: string) => {
        const first = seen.get(id);
        if (first !== undefined)
          add(path, `'${id}' is listed twice in the balance tree of '${b.id}' (also ${first})`);
        else seen.set(id, path);
      };
      see(bk.main, `${at}.main`);
      bk.submeters.forEach((s, j) => {
        if ('signal' in s) see(s.signal, `${at}.submeters[${j}].signal`);
        else if (index.has(s.balance)) walk(index.get(s.balance)!);
      });
    };
    walk(i);
  });
}

/** Balances nested in a cycle (A in B in A); true when there is one. */
function checkBalanceCycles(c: PlantConfig, index: ReadonlyMap<string, number>, add: Add): boolean {
  const state = new Map<number, 'visiting' | 'done'>();
  let found = false;
  const visit = (i: number, chain: string[]): void => {
    if (state.get(i) === 'done') return;
    state.set(i, 'visiting');
    c.balances[i]!.submeters.forEach((s, j) => {
      if ('signal' in s) return;
      const k = index.get(s.balance);
      if (k === undefined) return;
      if (state.get(k) === 'visiting') {
        found = true;
        add(
          `balances[${i}].submeters[${j}].balance`,
          `balances nested in a cycle: ${[...chain, c.balances[i]!.id, s.balance].join(' -> ')}`,
        );
      } else visit(k, [...chain, c.balances[i]!.id]);
    });
    state.set(i, 'done');
  };
  c.balances.forEach((_, i) => {
    visit(i, []);
  });
  return found;
}

function checkCems(c: PlantConfig, add: Add): void {
  if (c.cems === undefined) return;
  const signals = new Map(c.signals.map((s) => [s.id, s]));
  const gauge = (id: string, unit: string, what: string, path: string) => {
    const s = signals.get(id);
    if (s === undefined) {
      add(path, unknownId(ID_KIND.signal, id, signals.keys()));
      return;
    }
    if (s.kind !== 'gauge') {
      add(path, `'${id}' is a ${s.kind} signal: ${what} is read as a gauge`);
      return;
    }
    if (!converts(s, unit))
      add(path, `'${id}' is in '${s.unit}': ${what} needs a unit that converts to ${unit} (standard dry)`);
  };
  if (c.cems.product !== undefined && !c.products.some((p) => p.id === c.cems!.product))
    add(
      'cems.product',
      unknownId(
        ID_KIND.product,
        c.cems.product,
        c.products.map((p) => p.id),
      ),
    );
  const ids = new Map<string, number>();
  c.cems.stacks.forEach((st, i) => {
    const at = `cems.stacks[${i}]`;
    if (ids.has(st.id)) add(`${at}.id`, `duplicate id '${st.id}' (also cems.stacks[${ids.get(st.id)}])`);
    else ids.set(st.id, i);
    gauge(st.flowSignal, 'm3/h', 'the flue-gas flow', `${at}.flowSignal`);
    if (st.o2Signal !== undefined) gauge(st.o2Signal, '%', 'O2', `${at}.o2Signal`);
    const entries = Object.entries(st.pollutants).filter(([, p]) => p !== undefined);
    if (entries.length === 0)
      add(`${at}.pollutants`, 'a stack needs at least one pollutant (so2, nox, particulate)');
    for (const [name, p] of entries) {
      gauge(p!.signal, 'mg/m3', 'a concentration', `${at}.pollutants.${name}.signal`);
      if (p!.referenceO2Pct !== undefined && st.o2Signal === undefined)
        add(
          `${at}.o2Signal`,
          `${name} is checked at ${p!.referenceO2Pct} % O2 (referenceO2Pct): the stack needs its O2 signal`,
        );
    }
  });
}

/** m3 and Nm3 name the same standard dry state in CEMS data (see kpi/cems.ts). */
function converts(s: SignalConfig, to: string): boolean {
  try {
    unitFactor(s.unit.replaceAll('Nm3', 'm3'), to);
    return true;
  } catch {
    return false;
  }
}
