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

describe('CallbackUrlPolicy against SSRF tricks', () => {
  /** A resolver that answers a public address for any name: only the URL itself can get a request refused. */
  const anyNameIsPublic: Resolver = async () => [{ address: '93.184.215.14', family: 4 }];
  const policy = new CallbackUrlPolicy([], [], anyNameIsPublic);

  it.each([
    ['decimal IPv4', 'http://2130706433/hook'],
    ['hex IPv4', 'http://0x7f.1/hook'],
    ['octal IPv4', 'http://0177.0.0.1/hook'],
    ['short IPv4', 'http://127.1/hook'],
    ['percent-encoded IPv4', 'http://%31%32%37.0.0.1/hook'],
    ['trailing-dot IPv4', 'http://127.0.0.1./hook'],
    ['the zero address', 'http://0.0.0.0/hook'],
    ['bare zero', 'http://0/hook'],
    ['IPv6 unspecified', 'http://[::]/hook'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['IPv4-mapped, dotted', 'http://[::ffff:127.0.0.1]/hook'],
    ['IPv4-mapped, hex', 'http://[::ffff:7f00:1]/hook'],
    ['IPv4-compatible (deprecated)', 'http://[::127.0.0.1]/hook'],
    ['IPv4-translated (SIIT)', 'http://[::ffff:0:127.0.0.1]/hook'],
    ['NAT64 of 10.0.0.1', 'http://[64:ff9b::a00:1]/hook'],
    ['local-use NAT64', 'http://[64:ff9b:1::a00:1]/hook'],
    ['6to4 of 127.0.0.1', 'http://[2002:7f00:1::]/hook'],
    ['Teredo', 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook'],
    ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data/'],
    ['AWS metadata over IPv6', 'http://[fd00:ec2::254]/latest/meta-data/'],
    ['unique local fd00::/8', 'http://[fd12:3456::1]/hook'],
    ['link-local IPv6', 'http://[fe80::1]/hook'],
    ['site-local IPv6 (deprecated)', 'http://[fec0::1]/hook'],
    ['multicast IPv6', 'http://[ff02::1]/hook'],
    ['carrier-grade NAT', 'http://100.100.100.200/hook'],
    ['broadcast', 'http://255.255.255.255/hook'],
    ['localhost', 'http://localhost/hook'],
    ['trailing-dot localhost', 'http://localhost./hook'],
    ['a name under localhost', 'http://foo.localhost/hook'],
    ['upper-case localhost', 'http://LOCALHOST:8080/hook'],
    ['upper-case name under localhost', 'http://Api.LocalHost./hook'],
    ['userinfo without a password', 'http://a@127.0.0.1/hook'],
    ['userinfo on a public host', 'http://a@hooks.example.com/hook'],
    ['a data URL', 'data:text/plain,hello'],
    ['a file URL', 'file:///etc/passwd'],
  ])('refuses %s (%s)', async (_name, url) => {
    expect(await codeOf(policy, url)).toBe('CALLBACK_URL_REJECTED');
  });

  it('accepts an ordinary public host and public addresses, so the refusals above are about the trick', async () => {
    expect(await codeOf(policy, 'https://hooks.example.com/hook')).toBe('ok');
    expect(await codeOf(policy, 'https://HOOKS.example.com./hook')).toBe('ok');
    expect(await codeOf(policy, 'http://93.184.215.14/hook')).toBe('ok');
    expect(await codeOf(policy, 'http://[2606:4700::1111]/hook')).toBe('ok');
  });

  it('refuses a name whose answers mix a public and a private address, whatever their order', async () => {
    const mixed: Resolver = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '::ffff:10.0.0.7', family: 6 },
    ];
    await expect(new CallbackUrlPolicy([], [], mixed).check('https://two-faced.example/hook')).rejects.toThrow(/::ffff:10\.0\.0\.7/);
  });

  it('applies the deny list to a host written with a trailing dot or in capitals', async () => {
    const denying = new CallbackUrlPolicy([], ['hooks.example.com'], anyNameIsPublic);
    expect(await codeOf(denying, 'https://hooks.example.com./hook')).toBe('CALLBACK_URL_REJECTED');
    expect(await codeOf(denying, 'https://HOOKS.EXAMPLE.COM/hook')).toBe('CALLBACK_URL_REJECTED');
  });

  it('lets an allow-listed localhost through (tests, a receiver on the same host)', async () => {
    const local: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    expect(await codeOf(new CallbackUrlPolicy(['localhost'], [], local), 'http://localhost:9000/hook')).toBe('ok');
  });
});
