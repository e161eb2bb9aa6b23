/** The connection URL the records pool gets: the password given apart is in it, as node-postgres reads it. */
// node-postgres's own parser (pg's dependency): what the pool will connect with
import { parse } from 'pg-connection-string';
import { describe, expect, it } from 'vitest';
import { connectionUrl } from './open.ts';

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
