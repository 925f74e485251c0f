import WebSocket from 'ws';

/**
 * Memory of another Node process started with `--inspect=127.0.0.1:<port>`, read over the inspector protocol:
 * forced full GCs (HeapProfiler.collectGarbage), then `process.memoryUsage()` evaluated inside that process.
 */
export interface ProcessMemory {
  readonly heapUsed: number;
  readonly external: number;
  readonly rss: number;
}

async function debuggerUrl(inspectPort: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${String(inspectPort)}/json/list`);
  const targets = (await response.json()) as { webSocketDebuggerUrl?: string }[];
  const url = targets.at(0)?.webSocketDebuggerUrl;
  if (url === undefined) throw new Error('the inspector lists no target');
  return url;
}

export async function memoryAfterGc(inspectPort: number): Promise<ProcessMemory> {
  const socket = new WebSocket(await debuggerUrl(inspectPort));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      resolve();
    });
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(message.error.message));
    else waiting?.resolve(message.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const evaluated = (await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value?: string } };
    const usage = JSON.parse(evaluated.result.value ?? '{}') as Partial<ProcessMemory>;
    if (usage.heapUsed === undefined || usage.external === undefined || usage.rss === undefined) {
      throw new Error('process.memoryUsage() did not answer over the inspector');
    }
    return { heapUsed: usage.heapUsed, external: usage.external, rss: usage.rss };
  } finally {
    socket.close();
  }
}
