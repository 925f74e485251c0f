// The client SDK: a client of our own written from the spec (docs/adr/0008-client-sdk.md). No server code inside;
// servers import it only in tests (and the *MY3DATA bot, which is a client of the chat protocol).
export { connectCsp, type CspTestHooks,cspTestHooks } from './csp/csp-client';
export type { CspCloseInfo, CspLoginOptions, CspSession, IncomingCspMessage } from './csp/csp-session.types';
