import { describe, expect, it } from 'vitest';
import { DOC_BLOCKS, renderBlock, staleDocs, withBlocks } from './docs.ts';

describe('the config tables of the READMEs', () => {
  it('are current (regenerate them with `npm run schema`)', () => {
    expect(staleDocs(), 'these READMEs have stale config tables: run `npm run schema`').toEqual([]);
  });

  it('each section lists its fields once, the plant table points to the sections', () => {
    const plant = renderBlock(DOC_BLOCKS.find((b) => b.name === 'plant')!);
    expect(plant).toContain('- `signals[].rolloverAt` (number, optional; counter, manual): ');
    expect(plant).toContain('[../ingest/mqtt/README.md](../ingest/mqtt/README.md)');
    expect(plant).not.toContain('subscriptions');
    const mqtt = renderBlock(DOC_BLOCKS.find((b) => b.name === 'mqtt')!);
    expect(mqtt).toContain('- `subscriptions[].topic` (string, required): ');
    expect(mqtt).toContain('- `qos` (0 / 1 / 2, default `1`): ');
  });

  it('a README without its markers is an error, and a stale block is rewritten', () => {
    const block = DOC_BLOCKS.find((b) => b.name === 'spool')!;
    expect(() => withBlocks('# x\n', 'x.md', [block])).toThrow(/x.md: missing <!-- config:spool:start -->/);
    const stale = 'before\n<!-- config:spool:start -->\nold\n<!-- config:spool:end -->\nafter\n';
    const fresh = withBlocks(stale, 'x.md', [block]);
    expect(fresh).toContain('- `fsync` (boolean, default `true`): ');
    expect(fresh.startsWith('before\n')).toBe(true);
    expect(fresh.endsWith('<!-- config:spool:end -->\nafter\n')).toBe(true);
    expect(withBlocks(fresh, 'x.md', [block])).toBe(fresh);
  });
});
