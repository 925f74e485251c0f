import { directoryV1 } from './index';
import { identitySubjectToken, pushWakeupSubject } from './subjects';

describe('directory.v1 contract', () => {
  it('round-trips an identity through the protobuf wire format', () => {
    const response: directoryV1.GetIdentitiesResponse = {
      identities: [
        {
          identity: 'ECHOECHO',
          publicKey: Buffer.alloc(32, 7),
          state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
          type: directoryV1.IdentityType.IDENTITY_TYPE_REGULAR,
          featureMask: 0xffn,
          serverGroup: '0a',
        },
      ],
      unknown: ['NOTTHERE'],
    };
    const bytes = directoryV1.GetIdentitiesResponse.encode(response).finish();
    const decoded = directoryV1.GetIdentitiesResponse.decode(bytes);
    expect(decoded.identities[0]?.identity).toBe('ECHOECHO');
    expect(Buffer.from(decoded.identities[0]?.publicKey ?? []).equals(Buffer.alloc(32, 7))).toBe(true);
    expect(decoded.identities[0]?.featureMask).toBe(0xffn);
    expect(decoded.identities[0]?.state).toBe(directoryV1.IdentityState.IDENTITY_STATE_ACTIVE);
    expect(decoded.unknown).toEqual(['NOTTHERE']);
  });

  it('describes the service for grpc-js servers and clients', () => {
    expect(directoryV1.DirectoryServiceService.getIdentities.path).toBe(
      '/ots.directory.v1.DirectoryService/GetIdentities',
    );
  });
});

describe('shared NATS subjects', () => {
  it('writes system identities with _ instead of the * wildcard', () => {
    expect(identitySubjectToken('*MY3DATA')).toBe('_MY3DATA');
    expect(pushWakeupSubject('ECHOECHO')).toBe('ots.push.wakeup.ECHOECHO');
  });

  it('refuses anything that is not an identity, so no subject can be widened', () => {
    for (const bad of ['ECHOECH', 'echoecho', 'ECHO.ECH', 'ECHO>ECH', 'ECHO*ECH', '']) {
      expect(() => identitySubjectToken(bad)).toThrow('not an identity');
    }
  });
});
