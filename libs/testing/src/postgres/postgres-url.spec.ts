import { postgresUrl, withDatabase } from './postgres-url';

describe('postgresUrl', () => {
  it('builds a loopback URL', () => {
    expect(postgresUrl({ user: 'postgres', password: 'pw', port: 5433, database: 'ots' })).toBe(
      'postgres://postgres:pw@127.0.0.1:5433/ots',
    );
  });

  it('encodes characters that would break the URL', () => {
    const url = postgresUrl({ user: 'a@b', password: 'p:w/d?', port: 1, database: 'my db' });
    expect(url).toBe('postgres://a%40b:p%3Aw%2Fd%3F@127.0.0.1:1/my%20db');
    const parsed = new URL(url);
    expect(decodeURIComponent(parsed.password)).toBe('p:w/d?');
  });
});

describe('withDatabase', () => {
  it('swaps only the database', () => {
    expect(withDatabase('postgres://u:p@127.0.0.1:5433/ots', 'other')).toBe(
      'postgres://u:p@127.0.0.1:5433/other',
    );
  });
});
