/** Writes config/plant.schema.json from the zod schema (npm run schema). A test checks the shipped file is current. */
import { writeFileSync } from 'node:fs';
import { plantJsonSchema } from './schema.ts';

const out = new URL('./plant.schema.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(plantJsonSchema(), null, 2)}\n`);
console.log(`wrote ${out.pathname}`);
