// `npm start`: the whole system on one machine with embedded defaults (docs/adr/0003-local-stack.md).
import { execFileSync } from 'node:child_process';
import type { Server } from 'node:http';
import { join, relative } from 'node:path';

import { findWorkspaceRoot, runMigrations } from '@ots/db-tools';

import { ensureKeys } from './keys';
import { dataLayout, type LocalPorts, localPorts, portOffsetFrom, SERVICE_NAMES } from './layout';
import { type LocalNats, startLocalNats, stopChild } from './local-nats';
import { detachEmbeddedPostgresExitHooks, type LocalPostgres, startLocalPostgres } from './local-postgres';
import { ensureNatsServer } from './nats-binary';
import { chartNodeArgs } from './node-args';
import { writeProvisioningFile } from './provisioning';
import { startPublicGateway } from './public-gateway';
import { type LocalPushFakes, startLocalPushFakes } from './push-fakes';
import { serviceEnvironments } from './service-env';
import { type ServiceProcess, spawnService } from './service-process';
import { assertPortFree, waitForHttpOk } from './wait';

const READY_DEADLINE_MS = 60_000;

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<void> {
  const started = Date.now();
  const root = findWorkspaceRoot(__dirname);
  const layout = dataLayout(process.env.OTS_DATA_DIR ?? join(root, '.data'));
  const ports = localPorts(portOffsetFrom(process.env));
  let postgres: LocalPostgres | undefined;
  let nats: LocalNats | undefined;
  let gateway: Server | undefined;
  let pushFakes: LocalPushFakes | undefined;
  const services: ServiceProcess[] = [];
  let stopping = false;

  const stopAll = async (exitCode: number): Promise<never> => {
    if (stopping) return new Promise<never>(() => undefined);
    stopping = true;
    print('stopping…');
    await Promise.all(services.map((service) => stopChild(service.child, 12_000)));
    await new Promise<void>((resolve) => {
      if (gateway)
        gateway.close(() => {
          resolve();
        });
      else resolve();
    });
    if (pushFakes) await stopChild(pushFakes.child, 5_000);
    await nats?.stop();
    await postgres?.stop();
    print('stopped: no service, nats-server or postgres process left running');
    process.exit(exitCode);
  };
  detachEmbeddedPostgresExitHooks();
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  process.once('SIGHUP', () => void stopAll(0));

  try {
    const natsBinary = ensureNatsServer(print);
    await assertPortFree(ports.postgres, 'embedded PostgreSQL');
    await assertPortFree(ports.nats, 'NATS');
    await assertPortFree(ports.natsMonitor, 'NATS monitoring');
    await assertPortFree(ports.publicHttp, 'public HTTP gateway');
    for (const [provider, port] of Object.entries(ports.pushFakes))
      await assertPortFree(port, `${provider} push fake`);
    for (const name of SERVICE_NAMES) {
      for (const [kind, port] of Object.entries(ports.services[name])) {
        await assertPortFree(port, `${name} ${kind}`);
      }
    }

    if (process.env.OTS_SKIP_BUILD !== '1') {
      print('building the services (cached after the first run)…');
      execFileSync(
        process.execPath,
        [
          join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'),
          'run-many',
          '-t',
          'build',
          '-p',
          ...SERVICE_NAMES,
        ],
        { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NX_DAEMON: 'false' } },
      );
    }

    const keys = ensureKeys(layout);
    // assign each as soon as it is up, so a failure of the other still stops it
    const results = await Promise.allSettled([
      startLocalPostgres(layout.postgres, ports.postgres).then((started) => (postgres = started)),
      startLocalNats(natsBinary, layout.nats, ports.nats, ports.natsMonitor).then(
        (started) => (nats = started),
      ),
    ]);
    for (const result of results) if (result.status === 'rejected') throw result.reason;
    if (!postgres || !nats) throw new Error('infrastructure did not start');
    await runMigrations({ databaseUrl: postgres.url, workspaceRoot: root, log: print });
    pushFakes = await startLocalPushFakes(root, ports.pushFakes, layout.pushFakes, Date.now() + 30_000);

    const environments = serviceEnvironments(ports, {
      databaseUrl: postgres.url,
      natsUrl: nats.url,
      cspSecretKeyFile: layout.cspSecretKeyFile,
      cspPublicKeyBase64: keys.cspPublicKeyBase64,
      my3dataSecretKeyFile: layout.my3dataSecretKeyFile,
      my3dataPublicKeyBase64: keys.my3dataPublicKeyBase64,
      pushProviders: pushFakes.pushEnv,
    });
    const nodeArgs = chartNodeArgs(root, SERVICE_NAMES);
    for (const name of SERVICE_NAMES) {
      const flags = nodeArgs[name];
      const env = flags === undefined ? environments[name] : { ...environments[name], OTS_NODE_ARGS: flags };
      const service = spawnService(root, name, env, layout.logs, print);
      service.child.once('exit', (code, signal) => {
        if (stopping) return;
        print(
          `${name} exited unexpectedly (code ${String(code)}, signal ${String(signal)}); see ${service.logFile}`,
        );
        void stopAll(1);
      });
      services.push(service);
    }
    gateway = await startPublicGateway(ports.publicHttp, ports.services);

    const deadline = Date.now() + READY_DEADLINE_MS;
    await Promise.all(
      SERVICE_NAMES.map((name) =>
        waitForHttpOk(
          `http://127.0.0.1:${String(ports.services[name].http)}/readyz`,
          deadline,
          () => stopping,
        ),
      ),
    );
    const oppf = writeProvisioningFile(layout, keys, ports);
    printSummary(ports, layout.logs, oppf, keys.cspPublicKeyBase64, Date.now() - started);
  } catch (error) {
    print(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

/** Relative to the working directory when inside it, absolute otherwise. */
function readablePath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere && !fromHere.startsWith('..') ? fromHere : path;
}

function printSummary(
  all: LocalPorts,
  logs: string,
  oppf: string,
  serverKey: string,
  elapsedMs: number,
): void {
  const rows = SERVICE_NAMES.map((name) => {
    const own = all.services[name];
    const grpc = 'grpc' in own ? `127.0.0.1:${String(own.grpc)}` : '-';
    return `  ${name.padEnd(13)} ready   http://127.0.0.1:${String(own.http)}/readyz   gRPC ${grpc}`;
  });
  print(
    [
      '',
      `All ${String(SERVICE_NAMES.length)} services are ready (${(elapsedMs / 1000).toFixed(1)} s).`,
      ...rows,
      `  public HTTP   http://127.0.0.1:${String(all.publicHttp)}/  (directory and contact-sync API)`,
      `  chat server   key ${serverKey} (pinned by clients; CSP port ${String(all.csp)} in the OPPF)`,
      `  PostgreSQL    127.0.0.1:${String(all.postgres)}    NATS nats://127.0.0.1:${String(all.nats)}`,
      `  push fakes    FCM http://127.0.0.1:${String(all.pushFakes.fcm)}  APNs https://127.0.0.1:${String(all.pushFakes.apns)}  HMS http://127.0.0.1:${String(all.pushFakes.hms)}  (GET /_fake/received)`,
      `  client configuration (OPPF): ${readablePath(oppf)}`,
      `  logs: ${readablePath(logs)}/<service>.log`,
      'Press Ctrl-C to stop everything.',
    ].join('\n'),
  );
}

void main();
