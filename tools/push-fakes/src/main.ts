// `node --import tsx tools/push-fakes/src/main.ts`: FCM, APNs and HMS fakes in one process (docs/adr/0010).
// PUSH_FAKES_HOST (bind address, default 127.0.0.1), PUSH_FAKES_FCM_PORT / _APNS_PORT / _HMS_PORT (4101–4103),
// PUSH_FAKES_PUBLIC_HOST (name the push service uses, e.g. push-fakes), PUSH_FAKES_CREDENTIALS_DIR (write the
// generated credentials there as files plus push.env, for a push container sharing the folder).
import { startPushFakes } from './push-fakes';

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`${name} must be a TCP port number\n`);
    process.exit(1);
  }
  return port;
}

async function main(): Promise<void> {
  const fakes = await startPushFakes({
    host: process.env.PUSH_FAKES_HOST ?? '127.0.0.1',
    fcmPort: portFrom('PUSH_FAKES_FCM_PORT', 4101),
    apnsPort: portFrom('PUSH_FAKES_APNS_PORT', 4102),
    hmsPort: portFrom('PUSH_FAKES_HMS_PORT', 4103),
    ...(process.env.PUSH_FAKES_PUBLIC_HOST ? { publicHost: process.env.PUSH_FAKES_PUBLIC_HOST } : {}),
    ...(process.env.PUSH_FAKES_CREDENTIALS_DIR
      ? { credentialsDir: process.env.PUSH_FAKES_CREDENTIALS_DIR }
      : {}),
  });
  process.stdout.write(
    `${JSON.stringify({ msg: 'push fakes listening', fcm: fakes.fcmUrl, apns: fakes.apnsUrl, hms: fakes.hmsUrl })}\n`,
  );
  const stop = (): void => {
    void fakes.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `push fakes failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
