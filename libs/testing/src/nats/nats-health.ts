import { get } from 'node:http';

/**
 * True when the monitoring endpoint's /healthz says ok. On 2.9 it reports ok only once JetStream is ready too.
 * A fresh connection each time (agent: false), so no keep-alive socket outlives the check.
 */
export function isNatsHealthy(monitorPort: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const request = get(
      { host: '127.0.0.1', port: monitorPort, path: '/healthz', agent: false, timeout: timeoutMs },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          resolve(response.statusCode === 200 && body.includes('"ok"'));
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`/healthz did not answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
