import { DomainError } from '../../common/domain-error';
import { mapStorageErrors, storageFault } from './storage-faults';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
const sdkError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, ...extra });

describe('storageFault: which store failures are the store’s condition', () => {
  it.each([
    ['DynamoDB unreachable', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4567')],
    ['a reset connection', withCode('ECONNRESET')],
    ['the SDK’s own time-out', Object.assign(new Error('Connection timed out after 2000 ms'), { name: 'TimeoutError' })],
    ['throttling after the SDK’s retries', sdkError('ProvisionedThroughputExceededException', 400)],
    ['S3 SlowDown', sdkError('SlowDown', 503)],
    ['a plain 500', sdkError('InternalServerError', 500)],
    ['an unmodelled 502 from a proxy', sdkError('Unknown', 502)],
    ['SQLite busy', withCode('SQLITE_BUSY', 'database is locked')],
    ['SQLite I/O error (extended code)', withCode('SQLITE_IOERR_WRITE', 'disk I/O error')],
    ['a failed disk under the blob folder', withCode('EIO')],
  ])('%s → 503 STORAGE_UNAVAILABLE with Retry-After', (_what, error) => {
    const fault = storageFault(error, 'job store');
    expect(fault).toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503, details: { store: 'job store' } });
    expect(fault?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['ENOSPC', withCode('ENOSPC', 'ENOSPC: no space left on device, write')],
    ['a quota', withCode('EDQUOT')],
    ['SQLite full', withCode('SQLITE_FULL', 'database or disk is full')],
  ])('%s → 507 INSUFFICIENT_STORAGE', (_what, error) => {
    expect(storageFault(error, 'blob store')).toMatchObject({ code: 'INSUFFICIENT_STORAGE', status: 507 });
  });

  it('uses the Retry-After the store sent', () => {
    const throttled = sdkError('ThrottlingException', 400, { $response: { headers: { 'retry-after': '12' } } });
    expect(storageFault(throttled, 'blob store')?.retryAfterSeconds).toBe(12);
  });

  it('looks through a wrapped cause', () => {
    const wrapped = new Error('put failed', { cause: withCode('ECONNREFUSED') });
    expect(storageFault(wrapped, 'blob store')?.code).toBe('STORAGE_UNAVAILABLE');
  });

  it.each([
    ['a conditional-check failure (a lost race, handled by the adapter)', sdkError('ConditionalCheckFailedException', 400)],
    ['a validation error (our bug)', sdkError('ValidationException', 400)],
    ['access denied (configuration)', sdkError('AccessDenied', 403)],
    ['a plain programming error', new TypeError('x is undefined')],
    ['a SQLite constraint violation', withCode('SQLITE_CONSTRAINT_UNIQUE')],
  ])('leaves %s alone', (_what, error) => {
    expect(storageFault(error, 'job store')).toBeUndefined();
  });

  it('mapStorageErrors rethrows the mapped error, and anything else unchanged', async () => {
    await expect(mapStorageErrors('job store', () => Promise.reject(withCode('ECONNREFUSED')))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    const domain = new DomainError('JOB_NOT_FOUND');
    await expect(mapStorageErrors('job store', () => Promise.reject(domain))).rejects.toBe(domain);
    const bug = new TypeError('bug');
    await expect(mapStorageErrors('job store', () => Promise.reject(bug))).rejects.toBe(bug);
    await expect(mapStorageErrors('job store', async () => 42)).resolves.toBe(42);
  });
});
