/** Compile-time reading of config values: every problem collected with its path, thrown at once as a ConfigError. */
import { ConfigError, type Problem } from '../config/problems.ts';
import { isValidTimeZone, parseConfigTime } from '../config/time.ts';

export class CompileProblems {
  readonly problems: Problem[] = [];
  private readonly zoneKnown: boolean;

  constructor(readonly timeZone: string) {
    this.zoneKnown = isValidTimeZone(timeZone);
    if (!this.zoneKnown) this.add('site.timeZone', `unknown IANA time zone '${timeZone}'`);
  }

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Epoch ms of a config time (site local when it has no offset); `absent` when there is none; NaN when wrong. */
  time(text: string | undefined, path: string, absent: number): number {
    if (text === undefined) return absent;
    if (!this.zoneKnown) return Number.NaN; // already reported once, at site.timeZone
    try {
      return parseConfigTime(text, this.timeZone);
    } catch (err) {
      this.add(path, (err as Error).message);
      return Number.NaN;
    }
  }

  /** Throws every problem found, each with its path (as config/load.ts does for the schema). */
  throwIfAny(file: string): void {
    if (this.problems.length > 0) throw new ConfigError(file, this.problems);
  }
}
