export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  create                 create a new identity in the directory and store it in a profile
  whoami                 show the profile's identity and whether the directory knows it
  send <ID> <text...>    send an end-to-end encrypted text message
  listen                 print decrypted incoming messages until Ctrl-C
  info                   ask *MY3DATA for everything the server stores about you and print the JSON

Options:
  --profile <name|path>  profile to use (default "default", stored as <data>/profiles/<name>.json)
  --config <path>        provisioning file (default <data>/client-config.oppf, written by npm start)
  --trust-key <path>     pinned public key of the provisioning file's signer
                         (default oppf-signing.pub beside the provisioning file)
  --force                create: replace an existing profile
  --count <n>            listen: exit after n messages
  --timeout <seconds>    info: how long to wait for the reply (default 15)
  -h, --help             show this help

<data> is $OTS_DATA_DIR, or .data in the current directory.`;

/** A mistake in the command line: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
