import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a server the caller starts next.
 *
 * Ports are chosen below the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range). The kernel
 * takes the local port of every outgoing connection, and of every bind to port 0, from that range: a port chosen
 * inside it and released can be taken by a client socket of a busy neighbour (a parallel test run, a load
 * generator) before our server binds it, and the server then dies on EADDRINUSE. Below the range only another
 * explicit bind can take it. Starters of PostgreSQL and NATS still retry on "address already in use" for that case.
 */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/** Distinct free ports: every socket stays open until all are chosen, so none is handed out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const range = choosablePortRange(readEphemeralRange());
    if (range !== undefined) await listenInRange(range, count, servers);
    // no range to choose from (not Linux) or all of it taken: the kernel picks from its ephemeral range
    while (servers.length < count) servers.push(await listen(0));
    return servers.map(portOf);
  } finally {
    await Promise.all(servers.map(closeServer));
  }
}

export interface PortRange {
  readonly low: number;
  readonly high: number;
}

/** Below this are the well-known and registered ports that daemons on a developer's machine tend to hold. */
const LOWEST_CHOSEN_PORT = 10_000;
/** A range narrower than this is not worth searching. */
const MIN_RANGE_SIZE = 1_000;

/**
 * The ports freePorts chooses from, given the text of ip_local_port_range ("32768\t60999"): from 10000 up to just
 * below the ephemeral range. Undefined when the text is missing or leaves too little room below the range.
 */
export function choosablePortRange(ephemeralRangeText: string | undefined): PortRange | undefined {
  const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(ephemeralRangeText ?? '');
  if (match === null) return undefined;
  const high = Number(match[1]) - 1;
  if (high - LOWEST_CHOSEN_PORT + 1 < MIN_RANGE_SIZE) return undefined;
  return { low: LOWEST_CHOSEN_PORT, high };
}

function readEphemeralRange(): string | undefined {
  try {
    return readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
  } catch {
    return undefined;
  }
}

/** The next port this process tries, as an offset into the range: random at first, then one past the last tried. */
let cursor: number | undefined;

/**
 * Tries ports one after another, wrapping around, until `count` are held. Each try takes the next port before it
 * awaits, so neither successive nor concurrent calls in one process try a port twice until the whole range has
 * gone by (the kernel's port-0 binds hand out a port again within 9 calls in about 1 run in 70, which starts two
 * servers on one port). The random first start keeps parallel test processes apart.
 */
async function listenInRange(range: PortRange, count: number, servers: Server[]): Promise<void> {
  const size = range.high - range.low + 1;
  cursor ??= Math.floor(Math.random() * size);
  const maxTries = Math.min(size, count * 200);
  for (let tried = 0; tried < maxTries && servers.length < count; tried++) {
    const port = range.low + (cursor % size);
    cursor = (cursor + 1) % size;
    try {
      servers.push(await listen(port));
    } catch (error) {
      if (!isPortUnavailable(error)) throw error;
    }
  }
}

function isPortUnavailable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES';
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      resolve(server);
    });
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('a TCP server has no port');
  return address.port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
}
