export { type Container, decodeContainer, encodeContainer } from './csp/container';
export {
  CspFrameCipher,
  cspNonce,
  FIRST_PAYLOAD_SEQUENCE_NUMBER,
  type FrameCipherKeys,
  FrameSplitter,
} from './csp/frame-cipher';
export {
  CLIENT_HELLO_LENGTH,
  type ClientHello,
  COOKIE_LENGTH,
  decodeClientHello,
  decodeLoginAckData,
  decodeLoginData,
  decodeServerChallengeResponse,
  encodeClientHello,
  encodeLoginAckData,
  encodeLoginData,
  encodeServerChallengeResponse,
  EXTENSION_MAGIC,
  type ExtensionIndicator,
  LOGIN_ACK_LENGTH,
  LOGIN_DATA_BOX_LENGTH,
  LOGIN_DATA_LENGTH,
  type LoginAckData,
  type LoginData,
  type LoginDataInput,
  SERVER_HELLO_LENGTH,
  type ServerChallengeResponse,
  type Vouch,
} from './csp/handshake';
export { CSP_CONTAINER_HEADER_LENGTH, CSP_MAX_FRAME_BOX_LENGTH, CSP_MAX_PAYLOAD_LENGTH } from './csp/limits';
export {
  decodeLoginExtensions,
  DEVICE_COOKIE_LENGTH,
  encodeLoginExtensions,
  type LoginExtensions,
  type LoginExtensionsInput,
  LoginExtensionType,
  SupportedFeature,
} from './csp/login-extensions';
export { toLegacyMessage, toMessageWithMetadataBox } from './csp/message-conversion';
export { hasMessageFlag, MessageFlag, type MessageFlagName } from './csp/message-flags';
export {
  decodeLegacyMessage,
  decodeMessageWithMetadataBox,
  encodeLegacyMessage,
  encodeMessageWithMetadataBox,
  type LegacyMessage,
  MESSAGE_STRUCT_FIXED_LENGTH,
  type MessageEnvelope,
  type MessageWithMetadataBox,
  MIN_MESSAGE_BOX_LENGTH,
  NICKNAME_FIELD_LENGTH,
  validateMessageWithMetadataBox,
} from './csp/message-struct';
export { OBSOLETE_PAYLOAD_TYPES, PayloadType } from './csp/payload-types';
export {
  decodeDeletePushTokens,
  decodeIdleTimeout,
  decodeMessageAck,
  encodeAlert,
  encodeCloseError,
  encodeMessageAck,
  IDLE_TIMEOUT_MAX_SECONDS,
  IDLE_TIMEOUT_MIN_SECONDS,
  MESSAGE_ACK_LENGTH,
  type MessageAck,
} from './csp/payloads';
export { decodePushToken, MAX_PUSH_TOKEN_LENGTH, type PushToken, PushTokenType } from './csp/push-token';
export { addE2ePadding, E2E_MIN_PADDED_LENGTH, randomPadLength, removeE2ePadding } from './e2e/padding';
export {
  OPPF_MIN_REFRESH_SECONDS,
  OPPF_VERSION,
  type OppfBlobServer,
  type OppfChatServer,
  type OppfContent,
  type OppfDirectoryServer,
  type OppfDocument,
  type OppfLicense,
  type OppfSystemIdentity,
} from './oppf/oppf-document';
export { parseOppf } from './oppf/parse-oppf';
export { signOppf } from './oppf/sign-oppf';
export { ProtocolError, ProtocolErrorCode } from './protocol-error';
export { isThreemaId, THREEMA_ID_LENGTH } from './threema-id';
