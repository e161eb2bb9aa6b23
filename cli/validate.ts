/** `plantkpi validate FILE` and `plantkpi schema`: the plant config checked, and its JSON Schema for editors. */
import { EXIT, UsageError } from '../config/errors.ts';
import { loadPlantConfig } from '../config/load.ts';
import { plantJsonSchema } from '../config/schema.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import type { Io, Parsed } from './args.ts';

export function cmdValidate(o: Parsed, io: Io): number {
  const file = o.positionals[0];
  if (file === undefined) throw new UsageError('缺少配置文件 validate needs a FILE');
  const { config } = loadPlantConfig(file);
  io.out(
    `${file}: ok — ${config.signals.length} signals, ${config.organisation.branches.length} branches, ` +
      `${config.organisation.areas.length} areas, ${config.organisation.teams.length} teams, ` +
      `${config.equipment.length} equipment, ${config.targets.length} targets\n`,
  );
  return EXIT.ok;
}

export function cmdSchema(o: Parsed, io: Io): number {
  const text = `${JSON.stringify(plantJsonSchema(), null, 2)}\n`;
  if (o.values.out) writeFileAtomic(o.values.out, text);
  else io.out(text);
  return EXIT.ok;
}
