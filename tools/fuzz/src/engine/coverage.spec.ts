import { COVERAGE_VARIABLE, CoverageMap } from './coverage';

// The counters istanbul's instrumented code increments, laid out as istanbul lays them out.
function fakeCoverage(): {
  s: Record<number, number>;
  f: Record<number, number>;
  b: Record<number, number[]>;
} {
  return { s: { 0: 0, 1: 0, 2: 0 }, f: { 0: 0 }, b: { 0: [0, 0] } };
}

describe('CoverageMap', () => {
  const globals = globalThis as Record<string, unknown>;
  let file: ReturnType<typeof fakeCoverage>;

  beforeEach(() => {
    file = fakeCoverage();
    globals[COVERAGE_VARIABLE] = { '/repo/libs/x/src/a.ts': file, '/repo/other/b.ts': fakeCoverage() };
  });

  afterEach(() => {
    Reflect.deleteProperty(globals, COVERAGE_VARIABLE);
  });

  it('counts features once, by hit-count bucket, and zeroes the counters', () => {
    const map = new CoverageMap(['/repo/libs/x']);
    expect(map.fileCount).toBe(1);
    file.s[0] = 1;
    file.b[0][1] = 1;
    expect(map.collect()).toBe(2);
    expect(file.s[0]).toBe(0);
    expect(file.b[0][1]).toBe(0);
    file.s[0] = 1;
    expect(map.collect()).toBe(0);
    file.s[0] = 5; // another bucket (4–7) of the same counter is a new feature
    expect(map.collect()).toBe(1);
    file.s[0] = 6;
    expect(map.collect()).toBe(0);
  });

  it('reports covered statements, branches and functions', () => {
    const map = new CoverageMap(['/repo/libs/x']);
    file.s[1] = 2;
    file.f[0] = 1;
    file.b[0][0] = 1;
    map.collect();
    expect(map.figures()).toEqual({
      statements: { covered: 1, total: 3 },
      branches: { covered: 1, total: 2 },
      functions: { covered: 1, total: 1 },
      features: 3,
    });
  });

  it('reset() forgets what module loading executed', () => {
    const map = new CoverageMap(['/repo/libs/x']);
    file.s[2] = 1;
    map.reset();
    expect(map.figures().statements.covered).toBe(0);
    file.s[2] = 1;
    expect(map.collect()).toBe(1);
  });

  it('refuses roots without instrumented code', () => {
    expect(() => new CoverageMap(['/repo/nothing'])).toThrow(/no instrumented source/);
  });
});
