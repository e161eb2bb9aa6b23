/**
 * Writes the boards of a site as Grafana JSON (npm run dashboards): by default for the compose stack's plant
 * (config/examples/compose-site.yaml) into dashboards/boards/; `npm run dashboards -- --config plant.yaml --out DIR`
 * for another site (its time zone, carriers and units).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPlantConfig } from '../config/load.ts';
import { boardSite, boards } from './boards.ts';
import { grafanaJson } from './grafana.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);
/** the plant the shipped boards are generated for: the one the compose stack runs */
const SHIPPED_CONFIG = path.join(HERE, '..', 'config', 'examples', 'compose-site.yaml');
const SHIPPED_DIR = path.join(HERE, 'boards');

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: SHIPPED_CONFIG },
    out: { type: 'string', default: SHIPPED_DIR },
  },
});
const site = boardSite(loadPlantConfig(values.config!).config);
mkdirSync(values.out!, { recursive: true });
for (const b of boards(site)) {
  const file = path.join(values.out!, `${b.uid}.json`);
  writeFileSync(file, `${JSON.stringify(grafanaJson(b, site), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)} (${site.timeZone})`);
}
