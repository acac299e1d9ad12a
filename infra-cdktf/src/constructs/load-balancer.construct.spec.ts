import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { EXAMPLE_DEPLOY_ENV, examplePlatform, referenced, resourceList } from '../testing/synth';
import { DEFAULT_API_PATH_PATTERNS } from '../config/stack-config';
import { chunk, TLS_POLICY } from './load-balancer.construct';

describe('chunk', () => {
  it('splits path patterns into rules of at most five values', () => {
    expect(chunk([1, 2, 3, 4, 5, 6, 7], 5)).toEqual([[1, 2, 3, 4, 5], [6, 7]]);
  });
});

describe.each(['dev', 'prod'] as const)('LoadBalancer (%s)', (env) => {
  const { json, tf } = examplePlatform(env);

  it('is an internet-facing ALB in the public subnets with a long idle timeout for sync transcription', () => {
    expect(json).toHaveResourceWithProperties(Lb, {
      name: `speech-${env}-alb`,
      load_balancer_type: 'application',
      internal: false,
      idle_timeout: 600,
      drop_invalid_header_fields: true,
      enable_deletion_protection: env === 'prod',
    });
    const [alb] = resourceList(tf, 'aws_lb');
    for (const subnet of alb.subnets) expect(referenced(tf, subnet).tags.Tier).toBe('public');
  });

  it('has a web target group on 3000 checking / and an api target group on 8080 checking liveness', () => {
    expect(json).toHaveResourceWithProperties(LbTargetGroup, {
      name: `speech-${env}-web`,
      port: 3000,
      protocol: 'HTTP',
      target_type: 'ip',
      health_check: expect.objectContaining({ path: '/', matcher: '200' }),
    });
    expect(json).toHaveResourceWithProperties(LbTargetGroup, {
      name: `speech-${env}-api`,
      port: 8080,
      protocol: 'HTTP',
      target_type: 'ip',
      // Stopping API tasks drain for the whole graceful-shutdown window.
      deregistration_delay: '120',
      health_check: expect.objectContaining({ path: '/health/live', matcher: '200' }),
    });
  });

  it('routes the API paths to the api target group and everything else to web', () => {
    const rules = resourceList(tf, 'aws_lb_listener_rule');
    const patterns = rules.flatMap((rule) => rule.condition[0].path_pattern.values);
    expect(patterns).toEqual(DEFAULT_API_PATH_PATTERNS);
    expect(patterns).toEqual(expect.arrayContaining(['/api/*', '/v1/*', '/transcribe', '/health', '/status', '/status/*']));
    for (const rule of rules) {
      expect(rule.condition[0].path_pattern.values.length).toBeLessThanOrEqual(5);
      expect(referenced(tf, rule.action[0].target_group_arn).name).toBe(`speech-${env}-api`);
    }
    const forwarding = resourceList(tf, 'aws_lb_listener').find((listener) => listener.default_action[0].type === 'forward');
    expect(referenced(tf, forwarding?.default_action[0].target_group_arn).name).toBe(`speech-${env}-web`);
    for (const rule of rules) expect(referenced(tf, rule.listener_arn)).toBe(forwarding);
  });

  if (env === 'prod') {
    it('terminates TLS with the given certificate and redirects HTTP to HTTPS with a 301', () => {
      expect(json).toHaveResourceWithProperties(LbListener, {
        port: 443,
        protocol: 'HTTPS',
        certificate_arn: EXAMPLE_DEPLOY_ENV.CERTIFICATE_ARN,
        ssl_policy: TLS_POLICY,
      });
      expect(json).toHaveResourceWithProperties(LbListener, {
        port: 80,
        protocol: 'HTTP',
        default_action: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } }],
      });
      for (const rule of resourceList(tf, 'aws_lb_listener_rule')) {
        expect(referenced(tf, rule.listener_arn).protocol).toBe('HTTPS');
      }
    });
  } else {
    it('serves plain HTTP on 80 without a certificate', () => {
      const listeners = resourceList(tf, 'aws_lb_listener');
      expect(listeners).toHaveLength(1);
      expect(listeners[0]).toMatchObject({ port: 80, protocol: 'HTTP' });
      expect(listeners[0].certificate_arn).toBeUndefined();
    });
  }
});
