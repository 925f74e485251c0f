import { request } from 'node:http';

export interface HttpGetResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** the body parsed as JSON, or undefined when it is not JSON */
  readonly json: unknown;
}

/** A GET over loopback with a deadline; rejects on connection errors so waitFor treats them as "not yet". */
export function httpGet(url: string, timeoutMs = 3_000): Promise<HttpGetResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: parseJson(body) });
      });
    });
    req.on('timeout', () => {
      req.destroy(new Error(`GET ${url} timed out after ${String(timeoutMs)} ms`));
    });
    req.on('error', reject);
    req.end();
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
