import {
  chatServerHost,
  type ClientProvisioning,
  type CreatedIdentity,
  type CspConnect,
  type DirectoryIdentity,
  type IdentityProfile,
  loadClientProvisioning,
  loadProfile,
  Messenger,
  PublicKeyCache,
  readTrustedKeyFile,
} from '@ots/client';

import { type ClientPaths, clientPaths } from './client-paths';
import type { CommandLine } from './command-line';

/** The directory calls the CLI makes (DirectoryClient in production). */
export interface DirectoryApi {
  createIdentity(): Promise<CreatedIdentity>;
  fetchIdentity(identity: string): Promise<DirectoryIdentity>;
}

/** Everything the CLI takes from its surroundings, so that the commands run the same in tests. */
export interface CliDependencies {
  /** Logs in to the chat server; undefined while this build has no CSP client. */
  readonly connect: CspConnect;
  readonly directoryFor: (baseUrl: string) => DirectoryApi;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Resolves when the user asks to stop (Ctrl-C). */
  readonly stopRequested: Promise<void>;
}

/** A failure the CLI explains in one line (exit code 1). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Per command: resolved paths, and the provisioning, profile, directory and messenger loaded on first use. */
export class CliContext {
  readonly paths: ClientPaths;
  private loadedProvisioning: ClientProvisioning | undefined;

  constructor(
    readonly line: CommandLine,
    readonly deps: CliDependencies,
  ) {
    this.paths = clientPaths(line, deps.env, deps.cwd);
  }

  provisioning(): ClientProvisioning {
    this.loadedProvisioning ??= loadClientProvisioning(this.paths.config, [
      readTrustedKeyFile(this.paths.trustKey),
    ]);
    return this.loadedProvisioning;
  }

  profile(): IdentityProfile {
    return loadProfile(this.paths.profile);
  }

  directory(): DirectoryApi {
    return this.deps.directoryFor(this.provisioning().directoryUrl);
  }

  /** Logs in with the profile, trying the provisioned ports in order (spec §1.1). */
  async messenger(): Promise<Messenger> {
    const connect = this.deps.connect;
    const provisioning = this.provisioning();
    const profile = this.profile();
    const publicKeys = new PublicKeyCache(this.directory(), provisioning.systemIdentities);
    let lastError: unknown;
    for (const port of provisioning.chat.ports) {
      try {
        return await Messenger.connect({
          connect,
          login: {
            host: chatServerHost(provisioning, profile.serverGroup),
            port,
            serverPublicKey: provisioning.chat.publicKey,
          },
          identity: profile.identity,
          secretKey: profile.secretKey,
          publicKeys,
        });
      } catch (error) {
        lastError = error;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : 'no port to try';
    throw new CliError(`cannot log in to the chat server: ${reason}`);
  }
}

/** C0/C1 control characters (except tab and newline) could drive the terminal: remote text is shown without them. */
function isControlCharacter(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
}

export function printable(text: string): string {
  let out = '';
  for (const character of text) {
    out += isControlCharacter(character.codePointAt(0) ?? 0) ? '\uFFFD' : character;
  }
  return out;
}
