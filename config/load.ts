/** Reads a plant config: YAML -> zod (defaults, types, unknown keys) -> whole-document checks. */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, type Problem } from './problems.ts';
import { type PlantConfig, PlantConfigSchema } from './schema.ts';
import { checkSchema, type SchemaCheck, withoutKeys } from './schema-issues.ts';
import { withTaskFiles } from './task-files.ts';
import { validatePlant } from './validate.ts';

export interface LoadedConfig {
  config: PlantConfig;
  /** the file's text, for hashing and audit */
  text: string;
}

/** how far aliases (*name) may expand, in yaml's count of aliased nodes: enough for any real config */
const ALIAS_LIMIT = 100;

/**
 * Parses and validates config text; throws ConfigError listing every problem. `file` names the config in problems,
 * and its folder is where the paths of `taskFiles` start (the working directory for the default).
 */
export function parsePlantConfig(text: string, file = '<config>'): PlantConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return { path: `line ${pos.line}, column ${pos.col}`, message: `YAML: ${e.message.split('\n')[0]}` };
    });
    throw new ConfigError(file, problems);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: ALIAS_LIMIT }) ?? {};
  } catch (err) {
    // yaml refuses aliases that expand to too much (a "billion laughs" alias bomb) by throwing
    throw new ConfigError(file, [
      {
        path: '(aliases)',
        message: `YAML: the aliases (*name) expand to too much data (${(err as Error).message}); write the repeated parts out`,
      },
    ]);
  }
  const checked = checkSchema(PlantConfigSchema, raw);
  if (checked.ok) {
    const { config, problems } = withChecks(checked.data, file);
    if (problems.length > 0) throw new ConfigError(file, problems);
    return config;
  }
  throw new ConfigError(file, [...checked.problems, ...referenceProblems(raw, checked, file)]);
}

/** The config with the tasks of its task files, and the problems of those files and of the whole document. */
function withChecks(parsed: PlantConfig, file: string): { config: PlantConfig; problems: Problem[] } {
  const { config, problems, taskPlace } = withTaskFiles(parsed, file);
  return { config, problems: [...problems, ...validatePlant(config, taskPlace)] };
}

/**
 * The whole-document checks (references, shares, sources) of a config the schema refused, when its only faults are
 * unknown keys: with those keys set aside the rest parses, so a misspelt key and a wrong id come out in one run.
 * With any other schema problem (a wrong type, a missing field) they wait until the schema problems are fixed.
 */
function referenceProblems(
  raw: unknown,
  checked: Extract<SchemaCheck<unknown>, { ok: false }>,
  file: string,
): Problem[] {
  if (checked.otherProblems > 0 || checked.unknownKeys.length === 0) return [];
  const rest = checkSchema(PlantConfigSchema, withoutKeys(raw, checked.unknownKeys));
  return rest.ok ? withChecks(rest.data, file).problems : [];
}

export function loadPlantConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '(file)', message: `cannot read: ${(err as Error).message}` }]);
  }
  return { config: parsePlantConfig(text, file), text };
}
