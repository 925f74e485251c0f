import { filled, fromHex } from './hex';

// Test vectors of spec §11 (threema-protocols.md), copied verbatim.

/** §11.1.1 incoming message-with-metadata-box (393 bytes) and the keys of LIBT's incoming.rs tests. */
export const incomingMessage = {
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
  receiverSecretKey: fromHex('5d31a1950a807edcd195ec16a7e980e525c8bafe315d3b9bd9b22b186b4096bd'),
  receiverPublicKey: fromHex('1812948dac8683ec150461c64a7248f3e472e4e72256a5fc4149ff669a088d75'),
  senderPublicKey: fromHex('c113a3d85756852602cc82cb69314e87a01782c5ffdef3a953cf36ac7d6bc528'),
  sharedKey: '3d24e42defe090769b409513a3dc140b7df19b4f2dc01076b7a7e083423d33ff',
  messageMetadataKey: 'ea66e9f6a4c134f01b8c93bd558fbbcea46bfd2f16ce10ab5bf85e85b564ee6a',
  metadataProtobuf: '12126c656e6e792d7465737440706978656c38611989aa9a7eaff77d9620dca8f1d0ed32',
  nonce: 'b2d718b0db179e3e3bcdbf3c2be997490a0349f2e4fbaa43',
};

/** §11.2 self-generated CSP handshake inputs and outputs. */
export const handshake = {
  clientSecretKey: incomingMessage.receiverSecretKey,
  clientPublicKey: incomingMessage.receiverPublicKey,
  clientIdentity: '0HPT9EWD',
  serverSecretKey: filled(32, 0x01),
  serverPublicKey: 'a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209',
  serverTemporarySecretKey: filled(32, 0x02),
  serverTemporaryPublicKey: 'ce8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d59',
  clientTemporarySecretKey: filled(32, 0x03),
  clientTemporaryPublicKey: '5dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef22',
  clientCookie: filled(16, 0x11),
  serverCookie: filled(16, 0x22),
  serverHelloBox:
    'edcee8f5da0950e6f17df4591b2ef03723e12c52f4d02671a1ee799326ed248819f79bee1f622a258e0d2ec30b58fda16098d6ad93f2f7df61e40a02a628147a',
  vouchKey: '4310b2e8e1eeae29d236496b6c5ab868dc4f85548e874c5c7a97764c276ea2af',
  vouch: '97c95d8cd5c1761ea1e4e669907ca1add34cb3892f4c533940245f091cc85334',
  sessionKey: '7eb1ed09d0591d454fb63f13cdd879c84cf0b977c1b7a74f8af3ae0623d90834',
  extensionsPlaintext: '001d00312e303b513b656e2f55533b6e6f64653b32303b6c696e75783b78363402010003',
  login: fromHex(
    '2df8f50e1440619aa4a5397b0d1f8599932753990376aa80297fd380dfa758f34ccbbf494f43f4c343827d9aae736a2f92356dcc4e1c4c59b4b08018b800e7af6ac725e8ff977e45f7b25b1558b0ff28e3e8b9f67b4bd8b37d9c07b1800e2c2580913df8e2244e2c152289aa880e6b5b25a099579894d110218aaf2f76bc1e1336609d07f4ff9def5409dc635dd0fefc6ff9989b721b0b335fe072f82b109bbc628d865ce87af7b9e1c0e6c98a50917a3c471afe674cf9afe88775c88f0f0dbad4a202ca',
  ),
  loginAck: '55d18dee3d7a8da403018a75c37ee75bfb87e6e32c6480a5f96c4912ae0133a9',
  clientEchoRequestFrame: '1c00170d47641460d401136fd70ef362e4322adcd68129fb8c34d534d435',
  serverEchoResponseFrame: '1c00bb33597d3893023144e724ec6c66dcb05e07250ccf1b8e440c5ded7e',
};

/** §11.2 directory challenge. */
export const directoryChallenge = {
  challengeSecretKey: filled(32, 0x04),
  challengePublicKeyBase64: 'rAGyIJ6GNU+4UyN7XeD0+rE8f8v0M6YcAZNpYX/s8Qs=',
  tokenBase64: '/6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=',
  responseBase64: 'IhmVc7ZNSupA+D8/HhSP5valHV1GXK4JMWKs21XkUps=',
};
