import { parentPidFromStat } from './process-tree';

describe('parentPidFromStat', () => {
  it('reads the parent PID after the command name', () => {
    expect(parentPidFromStat('4242 (postgres) S 4200 4242 4242 0 -1')).toBe(4200);
  });

  it('is not confused by spaces and parentheses in the command name', () => {
    expect(parentPidFromStat('77 (post (gres: walsender) x) S 12 77 77 0')).toBe(12);
  });
});
