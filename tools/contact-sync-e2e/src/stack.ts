import { createServer, type Server } from 'node:http';

import { findWorkspaceRoot, runMigrations } from '@ots/db-tools';
import {
  type BuiltServiceProcess,
  freePort,
  spawnBuiltService,
  startNats,
  startPostgres,
  type TestNats,
  type TestPostgres,
  waitFor,
} from '@ots/testing';
import { SMTPServer } from 'smtp-server';

const root = findWorkspaceRoot(__dirname);

/** A real SMTP server on a loopback port that keeps the text of every message it receives. */
async function startSmtp(port: number): Promise<{ mails: string[]; stop: () => Promise<void> }> {
  const mails: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    mails,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A local HTTP SMS gateway in the directory's wire format (docs/adr/0011): keeps each message's text. */
async function startSmsGateway(port: number): Promise<{ texts: string[]; url: string; server: Server }> {
  const texts: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      texts.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string }).text);
      response.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { texts, url: `http://127.0.0.1:${String(port)}/messages`, server };
}

async function waitReady(httpPort: number, child: BuiltServiceProcess, name: string): Promise<void> {
  await Promise.race([
    waitFor(
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${String(httpPort)}/readyz`)).ok;
        } catch {
          return false;
        }
      },
      { timeoutMs: 30_000, description: `${name} ready` },
    ),
    child.exited.then(({ code }) => {
      throw new Error(`${name} exited with ${String(code)}:\n${child.stderr()}`);
    }),
  ]);
}

export interface E2eStack {
  readonly postgres: TestPostgres;
  readonly nats: TestNats;
  /** directory base URL, ending with "/" */
  readonly directoryUrl: string;
  /** contact-sync base URL, ending with "/" */
  readonly contactSyncUrl: string;
  readonly mails: string[];
  readonly smsTexts: string[];
  readonly processes: { directory: BuiltServiceProcess; contactSync: BuiltServiceProcess };
  /** every line nats-server and PostgreSQL (initdb, server) printed */
  readonly serverLogs: string[];
  /** SIGTERM to directory and contact-sync; resolves once both exited (their output is then complete) */
  stopServices(): Promise<void>;
  /** stops everything and removes PostgreSQL's and NATS's directories; idempotent */
  stop(): Promise<void>;
}

/** Embedded PostgreSQL (migrated), NATS, SMTP and SMS fakes, and the built directory and contact-sync. */
export async function startStack(): Promise<E2eStack> {
  const serverLogs: string[] = [];
  const onLog = (line: string): void => {
    serverLogs.push(line);
  };
  const [postgres, nats] = await Promise.all([startPostgres({ onLog }), startNats({ onLog })]);
  const [smtpPort, smsPort, dirHttp, dirGrpc, csHttp] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  const smtp = await startSmtp(smtpPort);
  const sms = await startSmsGateway(smsPort);
  const running: BuiltServiceProcess[] = [];
  const stopServices = async (): Promise<void> => {
    for (const child of running) {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGTERM');
      await child.exited;
    }
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopServices();
    await smtp.stop();
    await new Promise((resolve) => sms.server.close(resolve));
    await Promise.all([postgres.stop(), nats.stop()]);
  };
  try {
    await runMigrations({ databaseUrl: postgres.url });
    const common = { NATS_URL: nats.url, HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'debug', OTS_SITE: 'e2e' };
    const directoryUrl = `http://127.0.0.1:${String(dirHttp)}/`;
    const directory = spawnBuiltService(root, 'directory', {
      ...common,
      HTTP_PORT: String(dirHttp),
      DATABASE_URL: postgres.url,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(dirGrpc),
      DIRECTORY_CREATE_PER_SOURCE_PER_HOUR: '1000',
      DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE: '1000',
      DIRECTORY_PUBLIC_URL: directoryUrl,
      DIRECTORY_SMTP_HOST: '127.0.0.1',
      DIRECTORY_SMTP_PORT: String(smtpPort),
      DIRECTORY_SMTP_FROM: 'verify@example.org',
      DIRECTORY_SMS_GATEWAY_URL: sms.url,
      DIRECTORY_SMS_GATEWAY_AUTHORIZATION: 'Bearer e2e-gateway',
    });
    running.push(directory);
    await waitReady(dirHttp, directory, 'directory');
    const contactSync = spawnBuiltService(root, 'contact-sync', {
      ...common,
      HTTP_PORT: String(csHttp),
      DIRECTORY_GRPC_URL: `127.0.0.1:${String(dirGrpc)}`,
      CONTACT_SYNC_REQUESTS_PER_IDENTITY_PER_MINUTE: '1000',
    });
    running.push(contactSync);
    await waitReady(csHttp, contactSync, 'contact-sync');
    return {
      postgres,
      nats,
      directoryUrl,
      contactSyncUrl: `http://127.0.0.1:${String(csHttp)}/`,
      mails: smtp.mails,
      smsTexts: sms.texts,
      processes: { directory, contactSync },
      serverLogs,
      stopServices,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
