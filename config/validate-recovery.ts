/**
 * Checks of the waste-heat recoveries against the signals, carriers and scopes: unknown ids (with did-you-mean), a
 * recovered-heat signal that is also a product or a carrier (it would count twice, or as output), units that are
 * neither heat nor steam mass, steam without its enthalpy, and recoveries on different rate bases. Every problem with
 * its path.
 */
import { dimensionOf, rateTimeUnitMs } from '../transforms/units.ts';
import type { Problem } from './problems.ts';
import type { PlantConfig, SignalConfig } from './schema.ts';
import { ID_KIND, unknownId } from './suggest.ts';

type Add = (path: string, message: string) => void;

const QUANTITY = new Set(['counter', 'manual', 'rate', 'virtual']);

/** 'energy', 'mass' or null: what a quantity signal's amounts are (a rate's amount unit: MW -> MWh, t/h -> t). */
export function heatDimension(s: SignalConfig): 'energy' | 'mass' | null {
  const unit = s.kind === 'rate' ? rateTimeUnitMs(s.unit)?.amountUnit : s.unit;
  const dim = unit === undefined ? null : dimensionOf(unit);
  return dim === 'energy' || dim === 'mass' ? dim : null;
}

export function checkRecovery(
  c: PlantConfig,
  scopes: { area: ReadonlyMap<string, number>; team: ReadonlyMap<string, number> },
): Problem[] {
  const problems: Problem[] = [];
  const add: Add = (path, message) => problems.push({ path, message });
  const signals = new Map(c.signals.map((s) => [s.id, s]));
  const carriers = new Set(c.carriers.map((x) => x.id));
  const ids = new Map<string, number>();

  c.recovery.forEach((r, i) => {
    const at = `recovery[${i}]`;
    if (ids.has(r.id)) add(`${at}.id`, `duplicate id '${r.id}' (also recovery[${ids.get(r.id)}])`);
    else ids.set(r.id, i);

    const heat = (id: string, path: string, what: string, own: boolean) => {
      const s = signals.get(id);
      if (s === undefined) {
        add(path, unknownId(ID_KIND.signal, id, signals.keys()));
        return;
      }
      if (!QUANTITY.has(s.kind)) {
        add(path, `'${id}' is a ${s.kind} signal: ${what} is an amount (counter, manual, rate, virtual)`);
        return;
      }
      if (own && s.product !== undefined)
        add(
          path,
          `'${id}' counts product '${s.product}': recovered heat is a flow, not a product (it would raise the output and lower the intensity of every scope holding it); remove its product`,
        );
      if (own && s.carrier !== undefined)
        add(
          path,
          `'${id}' measures carrier '${s.carrier}': recovered heat is not energy bought or used; remove its carrier`,
        );
      const dim = heatDimension(s);
      if (dim === null)
        add(
          path,
          `'${id}' is in '${s.unit}': ${what} needs an energy unit (GJ, MJ, kWh) or a steam mass (t)`,
        );
      else if (dim === 'mass' && r.steamEnthalpyGJPerT === undefined)
        add(
          `${at}.steamEnthalpyGJPerT`,
          `'${id}' counts steam in '${s.unit}': give the heat a tonne carries, GJ/t, to turn it into heat`,
        );
    };
    heat(r.signal, `${at}.signal`, 'recovered heat', true);
    if (r.basis.type === 'supplied') {
      r.basis.signals.forEach((id, j) => {
        const path = `${at}.basis.signals[${j}]`;
        if (id === r.signal) add(path, `'${id}' is the recovered heat itself: list the other sources only`);
        else heat(id, path, 'heat supplied', false);
      });
    } else if (r.basis.signal === r.signal) {
      add(`${at}.basis.signal`, `'${r.signal}' is the recovered heat itself, not the heat available`);
    } else heat(r.basis.signal, `${at}.basis.signal`, 'heat available', false);

    if (!carriers.has(r.displaces)) add(`${at}.displaces`, unknownId(ID_KIND.carrier, r.displaces, carriers));
    r.scopes.forEach((s, j) => {
      const known = scopes[s.type];
      if (!known.has(s.id)) add(`${at}.scopes[${j}].id`, unknownId(ID_KIND[s.type], s.id, known.keys()));
    });
  });

  // one basis for the site: a rate summed over recoveries on different bases would be no share of anything
  const first = c.recovery[0]?.basis.type;
  c.recovery.forEach((r, i) => {
    if (r.basis.type !== first)
      add(
        `recovery[${i}].basis.type`,
        `'${r.basis.type}' differs from recovery[0]'s '${first}': every recovery of a site uses one basis, so that the site's rate is a share of one thing`,
      );
  });
  return problems;
}
