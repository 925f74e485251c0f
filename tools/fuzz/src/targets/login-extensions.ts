import {
  decodeLoginExtensions,
  encodeLoginExtensions,
  LoginExtensionType,
  ProtocolError,
} from '@ots/protocol';

import { ascii, decodeOrRefuse, type FuzzTarget, hex, requireBoundedOutput, requireEqual } from './target';

// spec §1.4: the login extensions TLV list (type u8 ‖ length u16-le ‖ payload). What decodes re-encodes
// (known types in the encoder's order) and decodes again to the same value.

const isProtocolError = (error: unknown): boolean => error instanceof ProtocolError;

function tlv(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 + payload.length);
  out[0] = type;
  new DataView(out.buffer).setUint16(1, payload.length, true);
  out.set(payload, 3);
  return out;
}

export const loginExtensionsTarget: FuzzTarget = {
  name: 'login-extensions',
  coverage: ['libs/protocol/src/csp/login-extensions.ts', 'libs/protocol/src/codec'],
  dictionary: [
    ...Object.values(LoginExtensionType).map((type) => Uint8Array.of(type)),
    Uint8Array.of(0x01, 0x08, 0x00),
    Uint8Array.of(0x02, 0x01, 0x00, 0x03),
    Uint8Array.of(0x03, 0x10, 0x00),
    Uint8Array.of(0xff, 0xff),
    ascii('1.0;A;de/CH;android'),
    Uint8Array.of(0xc3, 0x28),
    Uint8Array.of(0xed, 0xa0, 0x80),
  ],
  maxInputLength: 4096,
  run(input) {
    const extensions = decodeOrRefuse(() => decodeLoginExtensions(input), isProtocolError);
    if (!extensions) return;
    requireBoundedOutput(extensions, input.length, 'login extensions');
    const { unknownTypes: _unknown, ...known } = extensions;
    const again = decodeLoginExtensions(encodeLoginExtensions(known));
    requireEqual(again, { ...known, unknownTypes: [] }, 'login extensions');
  },
  seeds() {
    const cookie = new Uint8Array(16).fill(0x44);
    const deviceId = new Uint8Array(8);
    new DataView(deviceId.buffer).setBigUint64(0, 0x0102030405060708n, true);
    return [
      // spec §11.2: client-info + supported features 0x03
      {
        name: 'spec-11-2',
        bytes: hex('001d00312e303b513b656e2f55533b6e6f64653b32303b6c696e75783b78363402010003'),
      },
      {
        name: 'all-known',
        bytes: encodeLoginExtensions({
          clientInfo: '1.0;A;de/CH;android',
          cspDeviceId: 0x0102030405060708n,
          supportedFeatures: 3,
          deviceCookie: cookie,
        }),
      },
      {
        name: 'unknown-and-reordered',
        bytes: new Uint8Array(
          Buffer.concat([
            tlv(0x03, cookie),
            tlv(0x7f, ascii('later')),
            tlv(0x01, deviceId),
            tlv(0x02, Uint8Array.of(1)),
          ]),
        ),
      },
      { name: 'empty', bytes: new Uint8Array(0) },
    ];
  },
};
