/** Writes dashboards/boards/<uid>.json from boards.ts (npm run dashboards). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { BOARDS, grafanaJson } from './boards.ts';

const dir = new URL('./boards/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const b of BOARDS) {
  writeFileSync(new URL(`${b.uid}.json`, dir), `${JSON.stringify(grafanaJson(b), null, 2)}\n`);
  console.log(`wrote dashboards/boards/${b.uid}.json`);
}
