import { Body, Controller, type DynamicModule, Module, Post } from '@nestjs/common';
import { ObservabilityModule } from '@ots/observability';

import { type RunningService, startService } from './bootstrap';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return { success: true, body };
  }

  @Post('fail')
  fail(): never {
    throw new Error('a detail the client must not see');
  }
}

@Module({})
class EchoModule {
  static forRoot(): DynamicModule {
    return {
      module: EchoModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'echo', version: 'test', site: 'test', level: 'silent' }),
      ],
      controllers: [EchoController],
    };
  }
}

describe('startService (HTTP surface of every service)', () => {
  let running: RunningService;
  let spy: jest.SpyInstance;
  const warnings: string[] = [];
  let base: string;

  beforeAll(async () => {
    // (a listener on 'warning' would not see them here: Jest gives each test file its own process object)
    // (and its calls are cleared before each test, so they are collected here)
    spy = jest.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
      warnings.push(String(warning));
    });
    running = await startService(
      {
        service: 'echo',
        loadConfig: () => ({}),
        http: () => ({ host: '127.0.0.1', port: 0, shutdownGraceMs: 1_000, bodyLimitBytes: 1_024 }),
        module: () => EchoModule.forRoot(),
      },
      {},
      { service: 'echo', version: 'test' },
    );
    base = `http://127.0.0.1:${String(running.httpPort)}`;
  });

  afterAll(async () => {
    spy.mockRestore();
    await running.stop();
  });

  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('starts without Fastify warnings (one error handler, set once)', () => {
    expect(warnings).toEqual([]);
  });

  it('serves a route', async () => {
    const response = await post('/echo', '{"a":1}');
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ success: true, body: { a: 1 } });
  });

  it.each([
    ['unparsable JSON', '/echo', '{"a":', 'application/json', 400, 'Malformed JSON body'],
    [
      'an oversized body',
      '/echo',
      JSON.stringify({ a: 'x'.repeat(2_000) }),
      'application/json',
      413,
      'Request body too large',
    ],
    ['an unsupported content type', '/echo', 'a;1', 'text/csv', 415, 'Unsupported content type'],
  ])(
    'answers %s before the route runs with a failure body',
    async (_name, path, body, type, status, error) => {
      const response = await post(path, body, type);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ success: false, error });
    },
  );

  it('answers an unexpected route error with 500 and an error ID, never its message', async () => {
    const response = await post('/fail', '{}');
    expect(response.status).toBe(500);
    const json = (await response.json()) as { success: boolean; error: string; errorId: string };
    expect(json).toEqual({ success: false, error: 'Internal error', errorId: expect.any(String) as string });
    expect(JSON.stringify(json)).not.toContain('detail');
  });
});
