/**
 * Writes config/plant.schema.json and the config tables of the READMEs (config/docs.ts) from the zod schema
 * (npm run schema). Tests check that the shipped file and the tables are current.
 */
import { writeFileSync } from 'node:fs';
import { writeDocs } from './docs.ts';
import { plantJsonSchema } from './schema.ts';

const out = new URL('./plant.schema.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(plantJsonSchema(), null, 2)}\n`);
console.log(`wrote ${out.pathname}`);
for (const file of writeDocs()) console.log(`wrote the config table(s) in ${file}`);
