/**
 * A small fixed environment for initdb and postgres: inherited PG* variables must not change what they do, and
 * C messages keep the readiness line we wait for in English; TZ=UTC makes the cluster's timezone setting UTC.
 */
export function postgresEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', TZ: 'UTC' };
}
