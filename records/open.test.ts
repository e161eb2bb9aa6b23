/**
 * The connection URL the records pool gets: the password given apart is in it, as node-postgres reads it; the
 * embedded store's memory setting.
 */
// node-postgres's own parser (pg's dependency): what the pool will connect with

import { sql } from 'kysely';
import { parse } from 'pg-connection-string';
import { describe, expect, it } from 'vitest';
import { connectionUrl, EMBEDDED_SHARED_BUFFERS, openKysely } from './open.ts';
import { pgliteTemplate } from './pglite-template.ts';

describe('connectionUrl', () => {
  it('carries the password given apart, any characters, to what node-postgres reads', () => {
    const password = 'p@ss:w/rd%41 +?#&=';
    const c = parse(connectionUrl('postgres://plantkpi@postgres:5432/plantkpi', password));
    expect(c).toMatchObject({
      user: 'plantkpi',
      password,
      host: 'postgres',
      port: '5432',
      database: 'plantkpi',
    });
  });

  it('keeps query options, and a socket URL without a host gets the password as an option', () => {
    const url = connectionUrl('postgres://plantkpi@db:5432/plantkpi?sslmode=require', 'x');
    expect(new URL(url).searchParams.get('sslmode')).toBe('require');
    expect(parse(connectionUrl('postgres:///plantkpi?host=/var/run/postgresql', 's3cret'))).toMatchObject({
      password: 's3cret',
      host: '/var/run/postgresql',
      database: 'plantkpi',
    });
  });

  it('leaves a URL alone when no password is given apart', () => {
    expect(connectionUrl('postgres://u:inline@h:5432/d', undefined)).toBe('postgres://u:inline@h:5432/d');
  });
});

describe('the embedded store', () => {
  it('runs with small shared buffers from its second open on, keeping the settings initdb wrote', async () => {
    const template = await pgliteTemplate();
    try {
      const target = { dir: template.freshDir() };
      const show = async () => {
        const db = await openKysely(target);
        try {
          const r = await sql<{ b: string; tz: string; ds: string }>`
            select current_setting('shared_buffers') as b, current_setting('timezone') as tz,
                   current_setting('datestyle') as ds`.execute(db);
          return r.rows[0];
        } finally {
          await db.destroy();
        }
      };
      // the first open runs with PostgreSQL's default and sets the smaller one for the next
      expect((await show())?.b).toBe('128MB');
      expect(await show()).toEqual({ b: EMBEDDED_SHARED_BUFFERS, tz: 'UTC', ds: 'ISO, MDY' });
      expect(await show()).toEqual({ b: EMBEDDED_SHARED_BUFFERS, tz: 'UTC', ds: 'ISO, MDY' });
    } finally {
      template.cleanup();
    }
  }, 60_000);
});
