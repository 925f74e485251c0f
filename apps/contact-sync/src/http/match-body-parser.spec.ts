import 'reflect-metadata';

import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

import { MatchBodyBytes } from './match-body';
import { installMatchBodyParser } from './match-body-parser';

const seen: unknown[] = [];

@Controller('identity')
class RecordingController {
  @Post('match')
  @HttpCode(200)
  match(@Body() body: unknown) {
    seen.push(body);
    return {};
  }

  @Post('match_token')
  @HttpCode(200)
  matchToken(@Body() body: unknown) {
    seen.push(body);
    return {};
  }
}

@Module({ controllers: [RecordingController] })
class RecordingModule {}

describe('installMatchBodyParser', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(RecordingModule, new FastifyAdapter(), {
      logger: false,
    });
    await app.init();
    installMatchBodyParser(app.getHttpAdapter().getInstance(), '/identity/match');
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (url: string, payload: string) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });

  const hash = Buffer.alloc(32, 5).toString('base64');

  it('passes a common-case match body on as its bytes, and parses everything else as JSON', async () => {
    seen.length = 0;
    expect((await post('/identity/match', `{"matchToken":"t","emailHashes":["${hash}"]}`)).statusCode).toBe(
      200,
    );
    expect((await post('/identity/match', '{"matchToken":"t","other":true}')).statusCode).toBe(200);
    expect((await post('/identity/match_token', '{"identity":"ABCDEFGH"}')).statusCode).toBe(200);
    expect(seen[0]).toBeInstanceOf(MatchBodyBytes);
    expect(seen[1]).toEqual({ matchToken: 't', other: true });
    expect(seen[2]).toEqual({ identity: 'ABCDEFGH' });
  });

  it('answers malformed JSON and prototype keys with 400 on every route, as Fastify does', async () => {
    for (const url of ['/identity/match', '/identity/match_token']) {
      expect((await post(url, '{"emailHashes":')).statusCode).toBe(400);
      expect((await post(url, '{"__proto__":{"x":1}}')).statusCode).toBe(400);
      expect((await post(url, '')).statusCode).toBe(400);
    }
  });
});
