import { fromHex } from './hex';

/**
 * spec §11.1.1: LIBT's incoming message-with-metadata-box (393 bytes) with the keys of LIBT's incoming.rs tests and
 * the values the spec re-verified, copied verbatim.
 */
export const incomingMessageVector = {
  struct: fromHex(`
    304441354d453736304850543945574489aa9a7eaff77d96cb732768010034000000000000000000
    000000000000000000000000000000000000000000000000439039d79074fa4a0d0961d651af57b9
    4b7245c4c686733aab55b7f2b049fa3a8a5fec982eaa27d37557beaadd802cfc2703d849b2d718b0
    db179e3e3bcdbf3c2be997490a0349f2e4fbaa43712e263aab0c2c4a920182f01f810df063363191
    b26c2c6404c0e84e73a3e005e327589702878e259642e1cf3b29e36db1c6a258f55ea73c842fddaf
    ffd76a3057c0c13b6881bccc6522a0edee793f586fcb9ec5b398eb3be0af1a8c6111fe463ed25d91
    6e66bea54955ca3398e27cbae25bfb6c16e26f326ecf8a4ba81aef9312b59f612b9e3355de6c14c0
    434dc195e0a03462fc95d836a7bca74bda61d59be8489a9fdd9e626e7cb7324ac0724b0a42168a5b
    ea525eaef17d3bf13bbd8551ab8c85f5892fa6ba9c32e01343c3bc8ed2ad59f54411de089b193dca
    452b9699dafe34d124dfe521a956cce4adf58902a4c7b8bcf3d4548848dd2f1bee`),
  senderIdentity: '0DA5ME76',
  receiverIdentity: '0HPT9EWD',
  messageIdBytes: '89aa9a7eaff77d96',
  createdAt: 1747416011,
  createdAtMs: 1747416011868,
  flags: 0x01,
  metadataLength: 52,
  nonce: 'b2d718b0db179e3e3bcdbf3c2be997490a0349f2e4fbaa43',
  boxLength: 253,
  receiverSecretKey: fromHex('5d31a1950a807edcd195ec16a7e980e525c8bafe315d3b9bd9b22b186b4096bd'),
  receiverPublicKey: fromHex('1812948dac8683ec150461c64a7248f3e472e4e72256a5fc4149ff669a088d75'),
  senderPublicKey: fromHex('c113a3d85756852602cc82cb69314e87a01782c5ffdef3a953cf36ac7d6bc528'),
  messageMetadataKey: 'ea66e9f6a4c134f01b8c93bd558fbbcea46bfd2f16ce10ab5bf85e85b564ee6a',
  metadataProtobuf: '12126c656e6e792d7465737440706978656c38611989aa9a7eaff77d9620dca8f1d0ed32',
  nickname: 'lenny-test@pixel8a',
  text: 'Hi',
  paddedDataLength: 236,
};
