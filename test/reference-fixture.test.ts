/**
 * The reference plant's golden fixtures live in test/fixtures/reference-plant, byte for byte as in
 * ../shared/reference-plant (FIXTURE.md there says why). With the upstream folder beside the repository, every
 * file must match it exactly; without it (a lone clone), the in-repo copy must be complete and parse.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReadingsCsv } from '../ingest/csv/parse.ts';
import { REFERENCE, REFERENCE_FILES, REFERENCE_UPSTREAM } from './helpers.ts';

/** The one file of the folder that is not an upstream copy. */
const NOTE = 'FIXTURE.md';
const upstream = existsSync(REFERENCE_UPSTREAM) && statSync(REFERENCE_UPSTREAM).isDirectory();

const listed = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f !== NOTE)
    .sort();

/** The five files present, nothing else beside FIXTURE.md, and each one parses. */
async function expectComplete(): Promise<void> {
  expect(listed(REFERENCE)).toEqual([...REFERENCE_FILES].sort());
  expect(existsSync(path.join(REFERENCE, NOTE))).toBe(true);

  const readme = readFileSync(path.join(REFERENCE, 'README.md'), 'utf8');
  expect(readme.startsWith('# Reference plant')).toBe(true);

  const json = (name: string) => JSON.parse(readFileSync(path.join(REFERENCE, name), 'utf8'));
  const scenario = json('scenario.json');
  expect(scenario.period).toBe('2026-10');
  const expected = json('expected.json');
  expect(Array.isArray(expected.kpis) && expected.kpis.length > 0).toBe(true);
  expect(Array.isArray(expected.targets) && expected.targets.length > 0).toBe(true);
  const scorecard = json('expected-scorecard.json');
  expect(Array.isArray(scorecard.ranking) && scorecard.ranking.length > 0).toBe(true);
  expect(Array.isArray(scorecard.points) && scorecard.points.length > 0).toBe(true);

  const lines = readFileSync(path.join(REFERENCE, 'readings.csv'), 'utf8').split(/\r?\n/);
  let points = 0;
  const problems: unknown[] = [];
  for await (const batch of parseReadingsCsv(lines)) {
    points += batch.points.length;
    problems.push(...batch.problems);
  }
  expect(problems).toEqual([]);
  expect(points).toBe(5960);
}

describe('reference plant fixtures (test/fixtures/reference-plant)', () => {
  it('are complete: the five files, nothing else but FIXTURE.md, each one parsing', async () => {
    await expectComplete();
  });

  // Named for the branch it takes, so a run without ../shared says so in its report instead of skipping.
  it(
    upstream
      ? 'are byte-identical to ../shared/reference-plant, with no file missing or extra'
      : 'are complete on their own: no ../shared/reference-plant beside the repository to compare with',
    async () => {
      if (!upstream) {
        await expectComplete();
        return;
      }
      const theirs = readdirSync(REFERENCE_UPSTREAM).sort();
      const ours = listed(REFERENCE);
      const differing: string[] = [
        ...theirs.filter((f) => !ours.includes(f)).map((f) => `${f}: upstream, missing here`),
        ...ours.filter((f) => !theirs.includes(f)).map((f) => `${f}: here, not upstream`),
      ];
      for (const name of theirs.filter((f) => ours.includes(f))) {
        const a = readFileSync(path.join(REFERENCE, name));
        const b = readFileSync(path.join(REFERENCE_UPSTREAM, name));
        if (a.equals(b)) continue;
        let at = 0;
        while (at < a.length && at < b.length && a[at] === b[at]) at++;
        differing.push(
          `${name}: ${a.length} bytes here, ${b.length} upstream; first difference at byte ${at}`,
        );
      }
      expect(differing, 'copy ../shared/reference-plant/* into test/fixtures/reference-plant/').toEqual([]);
    },
  );
});
