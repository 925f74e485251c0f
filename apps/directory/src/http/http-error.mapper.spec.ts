import { DirectoryError, DirectoryErrorCode } from '../domain/directory-error';
import { toHttpFailure } from './http-error.mapper';

describe('toHttpFailure', () => {
  it.each([
    [DirectoryErrorCode.InvalidToken, 200, 'invalid-token'],
    [DirectoryErrorCode.IdentityNotFound, 404, 'invalid-identity'],
    [DirectoryErrorCode.InvalidRequest, 400, undefined],
    [DirectoryErrorCode.TooManyIdentities, 400, undefined],
    [DirectoryErrorCode.IdentityAllocationFailed, 503, undefined],
  ])('maps %s to %i with errorType %p', (code, status, errorType) => {
    const failure = toHttpFailure(new DirectoryError(code, 'why'));
    expect(failure.status).toBe(status);
    expect(failure.body).toEqual(
      errorType === undefined
        ? { success: false, error: 'why' }
        : { success: false, error: 'why', errorType },
    );
  });
});
