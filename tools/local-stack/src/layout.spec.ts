import {
  dataLayout,
  EPHEMERAL_PORTS_START,
  localPorts,
  MAX_PORT_OFFSET,
  portOffsetFrom,
  SERVICE_NAMES,
} from './layout';

function allPorts(offset = 0): number[] {
  const ports = localPorts(offset);
  return [
    ports.publicHttp,
    ports.postgres,
    ports.nats,
    ports.natsMonitor,
    ports.csp,
    ...Object.values(ports.pushFakes),
    ...SERVICE_NAMES.flatMap((name) => Object.values(ports.services[name])),
  ];
}

describe('local stack layout', () => {
  it('uses distinct ports for everything', () => {
    const all = allPorts();
    expect(new Set(all).size).toBe(all.length);
  });

  it('stays below the ephemeral port range at every offset (outgoing connections cannot hold our ports)', () => {
    for (const port of allPorts(MAX_PORT_OFFSET)) expect(port).toBeLessThan(EPHEMERAL_PORTS_START);
  });

  it('shifts every port by OTS_PORT_OFFSET', () => {
    const shifted = localPorts(portOffsetFrom({ OTS_PORT_OFFSET: '100' }));
    expect(shifted.publicHttp).toBe(8180);
    expect(shifted.services['contact-sync'].http).toBe(8204);
    expect(shifted.postgres).toBe(25532);
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
