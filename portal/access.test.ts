import { describe, expect, it } from 'vitest';
import { loadPlantConfig } from '../config/load.ts';
import { compilePlant } from '../kpi/plant.ts';
import { REFERENCE_CONFIG } from '../test/helpers.ts';
import {
  actOnTask,
  canSeeBranch,
  managerOnly,
  mayAct,
  openableBranches,
  readScope,
  type Who,
} from './access.ts';

const base = compilePlant(loadPlantConfig(REFERENCE_CONFIG).config);
// the reference plant's one task (K-1, a KPI rule) and a manual task and a pledge per branch
const plant = {
  ...base,
  scorecard: {
    ...base.scorecard,
    tasks: [
      ...base.scorecard.tasks,
      {
        ...base.scorecard.tasks[0]!,
        id: 'M-1',
        kind: 'task' as const,
        owner: { type: 'area' as const, id: 'A-ELY-1' },
        rule: undefined,
      },
      {
        ...base.scorecard.tasks[0]!,
        id: 'P-1',
        kind: 'pledge' as const,
        owner: { type: 'branch' as const, id: 'B-PWR' },
        rule: undefined,
      },
      {
        ...base.scorecard.tasks[0]!,
        id: 'P-2',
        kind: 'pledge' as const,
        owner: { type: 'team' as const, id: 'T-BLR' },
        rule: undefined,
      },
    ],
  },
};

const em: Who = { username: 'em', role: 'energy_manager', branch: null };
const ely: Who = { username: 's1', role: 'branch_secretary', branch: 'B-ELY' };
const pwr: Who = { username: 's2', role: 'branch_secretary', branch: 'B-PWR' };
const viewer: Who = { username: 'v', role: 'viewer', branch: null };
const viewerEly: Who = { username: 'v2', role: 'viewer', branch: 'B-ELY' };

describe('portal access', () => {
  it('reading: the energy manager and a viewer without a branch see every branch, area and team', () => {
    for (const u of [em, viewer]) {
      expect(readScope(u, plant, 'branch', 'B-ELY').ok).toBe(true);
      expect(readScope(u, plant, 'area', 'A-BLR').ok).toBe(true);
      expect(readScope(u, plant, 'team', 'T-BLR').ok).toBe(true);
      expect(readScope(u, plant, 'area', 'NOPE')).toMatchObject({ ok: false, status: 404 });
      expect(openableBranches(u, plant).map((b) => b.id)).toEqual(['B-ELY', 'B-PWR']);
    }
  });

  it('reading: a secretary (or a viewer of a branch) sees its own branch, areas and teams; 403 elsewhere, unknown ids too', () => {
    for (const u of [ely, viewerEly]) {
      expect(readScope(u, plant, 'branch', 'B-ELY').ok).toBe(true);
      expect(readScope(u, plant, 'area', 'A-ELY-1').ok).toBe(true);
      expect(readScope(u, plant, 'branch', 'B-PWR')).toMatchObject({ ok: false, status: 403 });
      expect(readScope(u, plant, 'area', 'A-BLR')).toMatchObject({ ok: false, status: 403 });
      expect(readScope(u, plant, 'team', 'T-BLR')).toMatchObject({ ok: false, status: 403 });
      // no leak of which ids exist in other branches
      expect(readScope(u, plant, 'area', 'NOPE')).toMatchObject({ ok: false, status: 403 });
      expect(openableBranches(u, plant).map((b) => b.id)).toEqual(['B-ELY']);
      expect(canSeeBranch(u, 'B-PWR')).toBe(false);
    }
    expect(readScope(pwr, plant, 'team', 'T-BLR').ok).toBe(true);
    // a secretary of a branch the plant does not declare (the store does not know the config) sees nothing
    const stray: Who = { username: 's3', role: 'branch_secretary', branch: 'B-GONE' };
    expect(readScope(stray, plant, 'branch', 'B-GONE')).toMatchObject({ ok: false, status: 403 });
    expect(openableBranches(stray, plant)).toEqual([]);
  });

  it('acting: a secretary closes its own branch’s manual tasks and pledges (any owner level), nothing else', () => {
    expect(actOnTask(ely, plant, 'M-1', 'task').ok).toBe(true);
    expect(actOnTask(pwr, plant, 'P-1', 'pledge').ok).toBe(true);
    expect(actOnTask(pwr, plant, 'P-2', 'pledge').ok).toBe(true); // its team's pledge
    expect(actOnTask(ely, plant, 'P-1', 'pledge')).toMatchObject({ ok: false, status: 403 });
    expect(actOnTask(pwr, plant, 'M-1', 'task')).toMatchObject({ ok: false, status: 403 });
    expect(actOnTask(ely, plant, 'NOPE', 'task')).toMatchObject({ ok: false, status: 403 });
  });

  it('acting: the energy manager may act on any; unknown is 404; a KPI-rule task and the wrong kind are 409 for all', () => {
    expect(actOnTask(em, plant, 'M-1', 'task').ok).toBe(true);
    expect(actOnTask(em, plant, 'P-1', 'pledge').ok).toBe(true);
    expect(actOnTask(em, plant, 'NOPE', 'pledge')).toMatchObject({ ok: false, status: 404 });
    expect(actOnTask(em, plant, 'K-1', 'task')).toMatchObject({ ok: false, status: 409 });
    expect(actOnTask(pwr, plant, 'K-1', 'task')).toMatchObject({ ok: false, status: 409 });
    expect(actOnTask(em, plant, 'P-1', 'task')).toMatchObject({ ok: false, status: 409 });
    expect(actOnTask(ely, plant, 'M-1', 'pledge')).toMatchObject({ ok: false, status: 409 });
  });

  it('a viewer acts on nothing; manual points and the site export are the energy manager’s', () => {
    for (const v of [viewer, viewerEly]) {
      expect(mayAct(v)).toMatchObject({ ok: false, status: 403 });
      expect(actOnTask(v, plant, 'M-1', 'task')).toMatchObject({ ok: false, status: 403 });
    }
    expect(mayAct(ely).ok).toBe(true);
    expect(managerOnly(em, 'x').ok).toBe(true);
    for (const u of [ely, pwr, viewer]) expect(managerOnly(u, 'x')).toMatchObject({ ok: false, status: 403 });
  });
});
