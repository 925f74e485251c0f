// The client SDK: a client of our own written from the spec (docs/adr/0008-client-sdk.md). No server code inside;
// servers import it only in tests (and the *MY3DATA bot, which is a client of the chat protocol).
// chat server connection (spec §1)
export { connectCsp, type CspTestHooks, cspTestHooks } from './csp/csp-client';
export type { CspCloseInfo, CspLoginOptions, CspSession, IncomingCspMessage } from './csp/csp-session.types';

// directory REST API (spec §4)
export {
  DirectoryClient,
  type DirectoryClientOptions,
  revocationKeyFromPassword,
} from './directory/directory-client';
export { DirectoryClientError, DirectoryClientErrorCode } from './directory/directory-error';
export type {
  CreatedIdentity,
  DirectoryIdentity,
  IdentityCheck,
  IdentityCheckResult,
  IdentityCredentials,
  MatchedIdentity,
  MatchRequest,
  MatchResult,
  PrivateIdentityData,
  RevocationKeyStatus,
} from './directory/directory-types';

// high-level messenger over a CspSession
export {
  type CspConnect,
  type IncomingMessageProblem,
  Messenger,
  type MessengerIdentityOptions,
  type MessengerOptions,
  MY3DATA_IDENTITY,
  type ReceivedDeliveryReceipt,
  type ReceivedText,
  type SendOptions,
} from './messenger/messenger';
export { MessengerError, MessengerErrorCode } from './messenger/messenger-error';
export { type IdentityFetcher, PublicKeyCache, type PublicKeyLookup } from './messenger/public-key-cache';

// provisioning file (spec §9.4) and the local identity profile
export {
  IdentityProfile,
  loadProfile,
  ProfileError,
  ProfileErrorCode,
  saveProfile,
} from './profile/identity-profile';
export {
  chatServerHost,
  type ClientProvisioning,
  loadClientProvisioning,
  parseClientProvisioning,
  parseTrustedKey,
  readTrustedKeyFile,
} from './provisioning/client-provisioning';
export { ProvisioningError, ProvisioningErrorCode } from './provisioning/provisioning-error';

// end-to-end encryption (spec §2.1, §2.4, §3)
export {
  decodeDeliveryReceiptBody,
  type DeliveryReceipt,
  encodeDeliveryReceiptBody,
} from './e2e/delivery-receipt-body';
export { decodeE2eContainer, type E2eContainer, encodeE2eContainer } from './e2e/e2e-container';
export { E2eError, E2eErrorCode } from './e2e/e2e-error';
export { DeliveryReceiptStatus, E2eMessageType } from './e2e/e2e-message-type';
export {
  decodeIncomingStruct,
  decryptMessage,
  type OpenedMessage,
  type OpenMessageKeys,
} from './e2e/incoming-message';
export { derivePairKeys, type PairKeys } from './e2e/message-keys';
export { decodeMessageMetadata, encodeMessageMetadata, type MessageMetadata } from './e2e/message-metadata';
export { encryptMessage, type OutgoingMessage, randomMessageId } from './e2e/outgoing-message';
export { decodeTextBody, encodeTextBody } from './e2e/text-body';
export { encryptDeliveryReceipt, encryptTextMessage, type OutgoingEnvelope } from './e2e/typed-messages';
