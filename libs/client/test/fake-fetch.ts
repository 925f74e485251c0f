/** A scripted stand-in for fetch: records every request and answers from a queue of replies, without any I/O. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown> | undefined;
}

export type ScriptedReply =
  | { readonly status?: number; readonly json: unknown; readonly headers?: Record<string, string> }
  | { readonly status: number; readonly text: string }
  | { readonly networkError: string };

export function scriptedFetch(replies: ScriptedReply[]): {
  fetch: typeof fetch;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const queue = [...replies];
  const fake = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body =
      typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    const url = input instanceof Request ? input.url : input.toString();
    requests.push({ method: init?.method ?? 'GET', url, headers, body });
    const reply = queue.shift();
    if (reply === undefined) return Promise.reject(new Error('no scripted reply left'));
    if ('networkError' in reply) return Promise.reject(new TypeError(reply.networkError));
    if ('text' in reply) return Promise.resolve(new Response(reply.text, { status: reply.status }));
    return Promise.resolve(
      new Response(JSON.stringify(reply.json), {
        status: reply.status ?? 200,
        headers: { 'content-type': 'application/json', ...reply.headers },
      }),
    );
  };
  return { fetch: fake, requests };
}
