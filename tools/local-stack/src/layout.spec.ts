import { dataLayout, localPorts, portOffsetFrom, SERVICE_NAMES } from './layout';

describe('local stack layout', () => {
  it('uses distinct ports for everything', () => {
    const ports = localPorts();
    const all = [
      ports.publicHttp,
      ports.postgres,
      ports.nats,
      ports.natsMonitor,
      ports.csp,
      ...Object.values(ports.pushFakes),
      ...SERVICE_NAMES.flatMap((name) => Object.values(ports.services[name])),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('shifts every port by OTS_PORT_OFFSET', () => {
    const shifted = localPorts(portOffsetFrom({ OTS_PORT_OFFSET: '100' }));
    expect(shifted.publicHttp).toBe(8180);
    expect(shifted.services['contact-sync'].http).toBe(8204);
    expect(shifted.postgres).toBe(54420);
  });

  it.each([['-1'], ['abc'], ['5001'], ['1.5']])('rejects OTS_PORT_OFFSET=%s', (value) => {
    expect(() => portOffsetFrom({ OTS_PORT_OFFSET: value })).toThrow(/OTS_PORT_OFFSET must be an integer/);
  });

  it('keeps keys, database, NATS storage and logs under one data folder', () => {
    const layout = dataLayout('/srv/ots/.data');
    for (const path of [
      layout.postgres,
      layout.nats,
      layout.cspSecretKeyFile,
      layout.oppfFile,
      layout.oppfPublicKeyFile,
      layout.logs,
      layout.pushFakes,
    ]) {
      expect(path.startsWith('/srv/ots/.data/')).toBe(true);
    }
  });
});
