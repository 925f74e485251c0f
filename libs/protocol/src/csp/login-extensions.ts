import { ByteReader } from '../codec/byte-reader';
import { ProtocolError, ProtocolErrorCode } from '../protocol-error';

// spec §1.4: login extensions, a TLV list (type u8 ‖ length u16-le ‖ payload) inside the extensions box.
export const LoginExtensionType = {
  clientInfo: 0x00,
  cspDeviceId: 0x01,
  /** SPEC calls it message-payload-version; clients send a supported-features bit mask (Android: 0x03) */
  supportedFeatures: 0x02,
  deviceCookie: 0x03,
} as const;

/** Bits of extension 0x02 (spec §1.4). */
export const SupportedFeature = {
  messageWithMetadataBox: 0x01,
  receivesEchoRequests: 0x02,
} as const;

export const DEVICE_COOKIE_LENGTH = 16;

export interface LoginExtensions {
  readonly clientInfo?: string;
  /** present only for multi-device clients */
  readonly cspDeviceId?: bigint;
  /** absent extension ⇒ 0 (legacy message format, spec §1.4) */
  readonly supportedFeatures: number;
  readonly deviceCookie?: Uint8Array;
  /** types we do not know, skipped leniently (spec §1.4 "inferred; be lenient") */
  readonly unknownTypes: readonly number[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** error labels per extension type, built once rather than for every extension of every login */
const PAYLOAD_LABELS = Array.from(
  { length: 256 },
  (_, type) => `extension 0x${type.toString(16).padStart(2, '0')} payload`,
);

export function decodeLoginExtensions(plaintext: Uint8Array): LoginExtensions {
  const reader = new ByteReader(plaintext, 'login extensions');
  const seen = new Set<number>();
  const unknownTypes: number[] = [];
  let clientInfo: string | undefined;
  let cspDeviceId: bigint | undefined;
  let supportedFeatures = 0;
  let deviceCookie: Uint8Array | undefined;
  while (reader.remaining > 0) {
    const type = reader.readU8('extension type');
    const length = reader.readU16LE('extension length');
    const payload = reader.readBytes(length, PAYLOAD_LABELS[type]);
    if (seen.has(type)) throw invalid(`extension 0x${type.toString(16)} appears twice`);
    seen.add(type);
    switch (type) {
      case LoginExtensionType.clientInfo:
        clientInfo = decodeUtf8(payload, 'client-info');
        break;
      case LoginExtensionType.cspDeviceId:
        requirePayloadLength(payload, 8, 'csp-device-id');
        cspDeviceId = new DataView(payload.buffer, payload.byteOffset, 8).getBigUint64(0, true);
        break;
      case LoginExtensionType.supportedFeatures:
        requirePayloadLength(payload, 1, 'supported-features');
        supportedFeatures = payload[0];
        break;
      case LoginExtensionType.deviceCookie:
        requirePayloadLength(payload, DEVICE_COOKIE_LENGTH, 'device-cookie');
        deviceCookie = payload;
        break;
      default:
        unknownTypes.push(type);
    }
  }
  return {
    ...(clientInfo === undefined ? {} : { clientInfo }),
    ...(cspDeviceId === undefined ? {} : { cspDeviceId }),
    supportedFeatures,
    ...(deviceCookie === undefined ? {} : { deviceCookie }),
    unknownTypes,
  };
}

export interface LoginExtensionsInput {
  readonly clientInfo?: string;
  readonly cspDeviceId?: bigint;
  readonly supportedFeatures?: number;
  readonly deviceCookie?: Uint8Array;
}

/** Encodes in the order clients use (client-info, device id, features, cookie), for the SDK and tests. */
export function encodeLoginExtensions(input: LoginExtensionsInput): Uint8Array {
  const parts: Uint8Array[] = [];
  const push = (type: number, payload: Uint8Array): void => {
    if (payload.length > 0xffff)
      throw new ProtocolError(ProtocolErrorCode.TOO_LARGE, 'extension payload too large');
    const header = new Uint8Array(3);
    header[0] = type;
    new DataView(header.buffer).setUint16(1, payload.length, true);
    parts.push(header, payload);
  };
  if (input.clientInfo !== undefined)
    push(LoginExtensionType.clientInfo, new TextEncoder().encode(input.clientInfo));
  if (input.cspDeviceId !== undefined) {
    const id = new Uint8Array(8);
    new DataView(id.buffer).setBigUint64(0, input.cspDeviceId, true);
    push(LoginExtensionType.cspDeviceId, id);
  }
  if (input.supportedFeatures !== undefined)
    push(LoginExtensionType.supportedFeatures, Uint8Array.of(input.supportedFeatures));
  if (input.deviceCookie !== undefined) {
    requirePayloadLength(input.deviceCookie, DEVICE_COOKIE_LENGTH, 'device-cookie');
    push(LoginExtensionType.deviceCookie, input.deviceCookie);
  }
  return Buffer.concat(parts);
}

function decodeUtf8(bytes: Uint8Array, field: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProtocolError(ProtocolErrorCode.MALFORMED, `${field} is not valid UTF-8`);
  }
}

function requirePayloadLength(payload: Uint8Array, expected: number, field: string): void {
  if (payload.length !== expected)
    throw invalid(`${field} must be ${String(expected)} bytes, got ${String(payload.length)}`);
}

function invalid(message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.INVALID_FIELD, `login extensions: ${message}`);
}
