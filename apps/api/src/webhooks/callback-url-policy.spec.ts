import { CallbackUrlPolicy, type Resolver } from './callback-url-policy';

/** A resolver with fixed answers: the policy's decisions, not the network, are under test. */
const dns: Record<string, string[]> = {
  'hooks.example.com': ['93.184.215.14'],
  'mixed.example.com': ['93.184.215.14', '10.1.2.3'],
  'metadata.example.com': ['169.254.169.254'],
  'v6.example.com': ['2606:4700::1111'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'internal.corp': ['10.20.30.40'],
};
const resolver: Resolver = async (host) => {
  const answers = dns[host];
  if (!answers) throw new Error('ENOTFOUND');
  return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

async function codeOf(policy: CallbackUrlPolicy, url: string): Promise<string> {
  try {
    await policy.check(url);
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('CallbackUrlPolicy', () => {
  const strict = new CallbackUrlPolicy([], [], resolver);

  it.each([
    ['https://hooks.example.com/done', 'ok'],
    ['http://hooks.example.com:8080/x', 'ok'],
    ['https://v6.example.com/x', 'ok'],
    ['http://127.0.0.1:9000/hook', 'CALLBACK_URL_REJECTED'],
    ['http://localhost.invalid/hook', 'CALLBACK_URL_REJECTED'],
    ['http://[::1]/hook', 'CALLBACK_URL_REJECTED'],
    ['http://10.0.0.5/hook', 'CALLBACK_URL_REJECTED'],
    ['http://192.168.1.1/hook', 'CALLBACK_URL_REJECTED'],
    ['http://100.64.0.1/hook', 'CALLBACK_URL_REJECTED'],
    ['https://metadata.example.com/latest', 'CALLBACK_URL_REJECTED'],
    ['https://mixed.example.com/x', 'CALLBACK_URL_REJECTED'],
    ['https://mapped.example.com/x', 'CALLBACK_URL_REJECTED'],
    ['http://[::ffff:7f00:1]/x', 'CALLBACK_URL_REJECTED'],
    ['http://[fd00::1]/x', 'CALLBACK_URL_REJECTED'],
    ['ftp://hooks.example.com/x', 'CALLBACK_URL_REJECTED'],
    ['https://user:pw@hooks.example.com/x', 'CALLBACK_URL_REJECTED'],
    ['not a url', 'CALLBACK_URL_REJECTED'],
  ])('%s → %s', async (url, expected) => {
    expect(await codeOf(strict, url)).toBe(expected);
  });

  it('lets the allow list open a private host or range (tests, internal receivers)', async () => {
    const policy = new CallbackUrlPolicy(['127.0.0.1', 'internal.corp', '192.168.0.0/16'], [], resolver);
    expect(await codeOf(policy, 'http://127.0.0.1:9000/hook')).toBe('ok');
    expect(await codeOf(policy, 'https://internal.corp/hook')).toBe('ok');
    expect(await codeOf(policy, 'http://192.168.7.7/hook')).toBe('ok');
    expect(await codeOf(policy, 'http://10.0.0.5/hook')).toBe('CALLBACK_URL_REJECTED');
  });

  it('lets the deny list refuse public hosts and ranges, over the allow list', async () => {
    const policy = new CallbackUrlPolicy(['hooks.example.com'], ['*.example.com', '2606:4700::/32'], resolver);
    expect(await codeOf(policy, 'https://hooks.example.com/x')).toBe('CALLBACK_URL_REJECTED');
    const byRange = new CallbackUrlPolicy([], ['93.184.0.0/16'], resolver);
    expect(await codeOf(byRange, 'https://hooks.example.com/x')).toBe('CALLBACK_URL_REJECTED');
  });

  it('answers the checked address to connect to, and says why it refused', async () => {
    await expect(strict.check('https://hooks.example.com/x')).resolves.toMatchObject({ address: '93.184.215.14', family: 4 });
    await expect(strict.check('https://mixed.example.com/x')).rejects.toThrow(/10\.1\.2\.3, a private, loopback or reserved address/);
  });
});
