import { devConfig } from './dev';
import { isValidFargateSize } from './fargate-sizes';
import { prodConfig } from './prod';
import { parseStackConfig, type StackConfigInput, StackConfigError } from './stack-config';
import { EXAMPLE_DEPLOY_ENV } from '../testing/example-env';

const dev = () => devConfig(EXAMPLE_DEPLOY_ENV);
const prod = () => prodConfig(EXAMPLE_DEPLOY_ENV);

/** The problems parseStackConfig reports for an input, or [] when it is valid. */
function problems(input: StackConfigInput): string[] {
  try {
    parseStackConfig(input);
    return [];
  } catch (error) {
    if (error instanceof StackConfigError) return [...error.problems];
    throw error;
  }
}

describe('parseStackConfig', () => {
  it('fills defaults from the issue: api 2 vCPU / 4 GB, web 0.5 vCPU / 1 GB, 1–10 tasks at 70 % CPU, g4dn.xlarge', () => {
    const config = parseStackConfig({ environment: 'test', region: 'us-east-1', prefix: 'speech-test', endpoint: { mode: 'realtime' } });
    expect(config.api).toMatchObject({ cpu: 2048, memory: 4096, minTasks: 1, maxTasks: 10, targetCpuPercent: 70 });
    expect(config.api).toMatchObject({ scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300, healthCheckPath: '/health/live' });
    expect(config.web).toMatchObject({ cpu: 512, memory: 1024, healthCheckPath: '/' });
    expect(config.endpoint).toMatchObject({ instanceType: 'ml.g4dn.xlarge', minInstances: 1, maxInstances: 3 });
    expect(config.network).toEqual({ vpcCidr: '10.0.0.0/16', natGateways: 'per-az', ingressCidrs: ['0.0.0.0/0'] });
    expect(config.storage.audioRetentionDays).toBe(7);
    expect(config.observability.logRetentionDays).toBe(30);
  });

  it('defaults an async endpoint to zero instances', () => {
    const config = parseStackConfig({ environment: 'test', region: 'us-east-1', prefix: 'speech-test', endpoint: { mode: 'async' } });
    expect(config.endpoint.minInstances).toBe(0);
  });

  it('accepts both example environments', () => {
    expect(problems(dev())).toEqual([]);
    expect(problems(prod())).toEqual([]);
  });

  it('lists every problem with its path in one error', () => {
    const input = dev();
    const error = (() => {
      try {
        parseStackConfig({ ...input, region: 'mars', prefix: 'Speech_Dev' });
      } catch (caught) {
        return caught as StackConfigError;
      }
      throw new Error('expected a StackConfigError');
    })();
    expect(error).toBeInstanceOf(StackConfigError);
    expect(error.message).toMatch(/^Invalid stack configuration "dev":/);
    expect(error.problems).toEqual([
      expect.stringMatching(/^region: must be an AWS region/),
      expect.stringMatching(/^prefix: must be 3–20 lowercase/),
    ]);
  });

  it.each<[string, (input: StackConfigInput) => StackConfigInput, RegExp]>([
    ['a real-time endpoint at zero', (c) => ({ ...c, endpoint: { mode: 'realtime', minInstances: 0 } }), /endpoint\.minInstances: a real-time endpoint cannot scale to zero/],
    ['max below min instances', (c) => ({ ...c, endpoint: { mode: 'realtime', minInstances: 3, maxInstances: 2 } }), /endpoint\.maxInstances: must be ≥ minInstances \(3\)/],
    ['an invalid Fargate size', (c) => ({ ...c, api: { cpu: 2048, memory: 2048 } }), /api\.memory: invalid Fargate size: with cpu 2048, memory must be 4096–16384 MiB/],
    ['an unknown Fargate cpu', (c) => ({ ...c, web: { cpu: 300, memory: 512 } }), /web\.memory: invalid Fargate size: cpu must be one of/],
    ['maxTasks below minTasks', (c) => ({ ...c, web: { minTasks: 3, maxTasks: 2 } }), /web\.maxTasks: must be ≥ minTasks \(3\)/],
    ['a VPC that is not a /16', (c) => ({ ...c, network: { vpcCidr: '10.0.0.0/20' } }), /network\.vpcCidr: must be a \/16/],
    ['a bad ingress CIDR', (c) => ({ ...c, network: { ingressCidrs: ['10.0.0.300/8'] } }), /network\.ingressCidrs\.0: must be an IPv4 CIDR/],
    ['a non-ACM certificate', (c) => ({ ...c, loadBalancer: { certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' } }), /loadBalancer\.certificateArn: must be an ACM certificate ARN/],
    ['a certificate from another region', (c) => ({ ...c, loadBalancer: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } }), /certificateArn: is in eu-west-1; an ALB needs a certificate in us-east-1/],
    ['an idle timeout beyond the ALB limit', (c) => ({ ...c, loadBalancer: { idleTimeoutSeconds: 5000 } }), /loadBalancer\.idleTimeoutSeconds/],
    ['a secret that is not an ARN', (c) => ({ ...c, api: { secrets: { WEBHOOK_SECRET: 'hunter2' } } }), /api\.secrets\.WEBHOOK_SECRET: must be a Secrets Manager secret or SSM parameter ARN/],
    ['overriding a stack-owned variable', (c) => ({ ...c, api: { environment: { ENGINE: 'local' } } }), /api\.environment: ENGINE is set by the stack/],
    ['a lowercase variable name', (c) => ({ ...c, api: { environment: { debug: '1' } } }), /api\.environment: debug: must be an UPPER_SNAKE_CASE/],
    ['a log retention CloudWatch does not offer', (c) => ({ ...c, observability: { logRetentionDays: 31 } }), /observability\.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30/],
    ['a bad alarm e-mail', (c) => ({ ...c, observability: { alarmEmail: 'ops' } }), /observability\.alarmEmail: must be an e-mail address/],
    ['both alarm targets', (c) => ({ ...c, observability: { alarmEmail: 'a@example.com', alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops' } }), /observability: set alarmEmail or alarmTopicArn, not both/],
    ['a model key that is not a tarball', (c) => ({ ...c, endpoint: { mode: 'async', modelDataKey: 'model.zip' } }), /endpoint\.modelDataKey: must be an S3 key ending in \.tar\.gz/],
    ['an API path without a leading slash', (c) => ({ ...c, loadBalancer: { apiPathPatterns: ['jobs/*'] } }), /loadBalancer\.apiPathPatterns\.0: must be an ALB path pattern/],
    ['an unknown endpoint mode', (c) => ({ ...c, endpoint: { mode: 'serverless' as 'async' } }), /endpoint\.mode/],
  ])('rejects %s', (_, change, message) => {
    expect(problems(change(dev())).join('\n')).toMatch(message);
  });

  it('refuses HTTP-only when requireHttps is set, pointing at CERTIFICATE_ARN', () => {
    expect(problems(prodConfig({ ...EXAMPLE_DEPLOY_ENV, CERTIFICATE_ARN: undefined }))).toEqual([
      'loadBalancer.certificateArn: is required because requireHttps is set (set CERTIFICATE_ARN to an ACM certificate)',
    ]);
  });

  it('refuses the mutable "latest" tag when tags are immutable, pointing at IMAGE_TAG', () => {
    expect(problems(prodConfig({ ...EXAMPLE_DEPLOY_ENV, IMAGE_TAG: '' }))).toEqual([
      "images.tag: must name a build (e.g. the git SHA) when tags are immutable; set IMAGE_TAG",
    ]);
  });
});

describe('isValidFargateSize', () => {
  it.each([
    [256, 512, true],
    [256, 4096, false],
    [512, 1024, true],
    [2048, 4096, true],
    [2048, 3072, false],
    [4096, 30720, true],
    [3000, 6144, false],
  ])('cpu %d / memory %d → %s', (cpu, memory, valid) => {
    expect(isValidFargateSize(cpu, memory)).toBe(valid);
  });
});
