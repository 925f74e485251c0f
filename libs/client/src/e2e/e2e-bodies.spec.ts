import { errorCodeOf } from '../../test/error-code';
import { hex } from '../../test/hex';
import { decodeDeliveryReceiptBody, encodeDeliveryReceiptBody } from './delivery-receipt-body';
import { decodeE2eContainer, encodeE2eContainer } from './e2e-container';
import { E2eErrorCode } from './e2e-error';
import { decodeTextBody, encodeTextBody } from './text-body';

describe('E2E container and bodies (spec §3)', () => {
  it('writes type ‖ data ‖ padding, each pad byte equal to the pad length', () => {
    const container = encodeE2eContainer({ type: 0x01, body: encodeTextBody('x'.repeat(40)) }, 3);
    expect(container).toHaveLength(1 + 40 + 3);
    expect(container[0]).toBe(0x01);
    expect(hex(container.subarray(41))).toBe('030303');
    expect(decodeE2eContainer(container)).toEqual({ type: 0x01, body: encodeTextBody('x'.repeat(40)) });
  });

  it('refuses a container without padding or with an impossible pad length', () => {
    for (const plaintext of [
      Uint8Array.of(),
      Uint8Array.of(0x01),
      Uint8Array.of(0x01, 0x00),
      Uint8Array.of(0x01, 0x61, 0x05),
    ]) {
      expect(errorCodeOf(() => decodeE2eContainer(plaintext))).toBe(E2eErrorCode.MALFORMED);
    }
  });

  it('encodes a delivery receipt as status ‖ u64-le IDs', () => {
    const body = encodeDeliveryReceiptBody({ status: 0x01, messageIds: [1n, 0x0102030405060708n] });
    expect(hex(body)).toBe('01' + '0100000000000000' + '0807060504030201');
    expect(decodeDeliveryReceiptBody(body)).toEqual({ status: 0x01, messageIds: [1n, 0x0102030405060708n] });
  });

  it('refuses receipts without IDs or with partial IDs', () => {
    for (const length of [0, 1, 8, 10, 17 + 3]) {
      expect(errorCodeOf(() => decodeDeliveryReceiptBody(new Uint8Array(length)))).toBe(
        E2eErrorCode.MALFORMED,
      );
    }
    expect(errorCodeOf(() => encodeDeliveryReceiptBody({ status: 1, messageIds: [] }))).toBe(
      E2eErrorCode.INVALID_INPUT,
    );
  });

  it('refuses text that is not UTF-8', () => {
    expect(errorCodeOf(() => decodeTextBody(Uint8Array.of(0xc3, 0x28)))).toBe(E2eErrorCode.MALFORMED);
  });
});
