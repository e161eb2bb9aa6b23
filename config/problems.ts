/** Config problems: every one at once, each with the path of the field that is wrong. */
import { EXIT, PlantkpiError } from './errors.ts';

export interface Problem {
  /** where, e.g. `organisation.areas[1].meters[0].share` or `line 12, column 3` */
  path: string;
  message: string;
}

/** The config is invalid (exit 3); retrying will not help until it is fixed. */
export class ConfigError extends PlantkpiError {
  readonly exitCode = EXIT.config;
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(`${file}: ${problems.length} problem(s) in the config\n${formatProblems(problems)}`);
    this.name = 'ConfigError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
}
