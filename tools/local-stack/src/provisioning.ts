import { writeFileSync } from 'node:fs';

import { signOppf } from '@ots/protocol';

import type { LocalKeys } from './keys';
import type { DataLayout, LocalPorts } from './layout';

/**
 * The client configuration of this deployment as an OnPrem provisioning file (spec §9.4), signed with the
 * deployment's own Ed25519 key. Our CLI and SDK read it; official apps only accept Threema-signed files.
 */
export function writeProvisioningFile(layout: DataLayout, keys: LocalKeys, ports: LocalPorts): string {
  const oneYear = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const text = signOppf(
    {
      version: '1.0',
      refresh: 86_400,
      license: { id: 'local-development', expires: oneYear, count: 1000 },
      chat: { hostname: '127.0.0.1', publicKey: keys.cspPublicKeyBase64, ports: [ports.csp] },
      directory: { url: `http://127.0.0.1:${String(ports.publicHttp)}/` },
      // pinned by clients (docs/adr/0014, 0018): the data export's bot answers `info` (spec §8.1)
      systemIdentities: [{ identity: '*MY3DATA', publicKey: keys.my3dataPublicKeyBase64 }],
    },
    keys.oppfSigningKey,
  );
  writeFileSync(layout.oppfFile, text, { mode: 0o644 });
  // the public half, for clients to pin (the CLI reads it from beside the OPPF)
  writeFileSync(
    layout.oppfPublicKeyFile,
    `${Buffer.from(keys.oppfSigningKey.publicKey).toString('base64')}\n`,
    {
      mode: 0o644,
    },
  );
  return layout.oppfFile;
}
