import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { CONTAINER_PORTS } from '../config/resource-names';
import type { StackConfig } from '../config/stack-config';

/** An ALB rule holds at most five condition values. */
const MAX_PATTERNS_PER_RULE = 5;

/** TLS 1.2+ with TLS 1.3 preferred. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface LoadBalancerProps {
  readonly names: { readonly loadBalancer: string; readonly targetGroups: { readonly web: string; readonly api: string } };
  readonly vpcId: string;
  readonly publicSubnetIds: string[];
  readonly securityGroupId: string;
  readonly config: StackConfig['loadBalancer'];
  readonly healthCheckPaths: { readonly web: string; readonly api: string };
  /** Seconds a stopping API task keeps serving in-flight requests before it leaves the group. */
  readonly apiDeregistrationDelaySeconds: number;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Internet-facing ALB. `/` goes to the console on 3000, API paths to the API on 8080. With a
 * certificate the ALB terminates TLS on 443 and answers port 80 with a 301 to HTTPS; without one it
 * serves plain HTTP (dev only; the prod config refuses that).
 */
export class LoadBalancer extends Construct {
  readonly alb: Lb;
  readonly webTargetGroup: LbTargetGroup;
  readonly apiTargetGroup: LbTargetGroup;
  /** The listener that forwards traffic (HTTPS when a certificate is set). */
  readonly listener: LbListener;
  readonly https: boolean;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { config, names } = props;
    this.https = Boolean(config.certificateArn);

    this.alb = new Lb(this, 'alb', {
      name: names.loadBalancer,
      loadBalancerType: 'application',
      internal: false,
      subnets: props.publicSubnetIds,
      securityGroups: [props.securityGroupId],
      idleTimeout: config.idleTimeoutSeconds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: config.deletionProtection,
    });

    const targetGroup = (name: 'web' | 'api', healthCheckPath: string, deregistrationDelay: number) =>
      new LbTargetGroup(this, `${name}-targets`, {
        name: names.targetGroups[name],
        port: CONTAINER_PORTS[name],
        protocol: 'HTTP',
        // Fargate tasks register by IP (awsvpc networking).
        targetType: 'ip',
        vpcId: props.vpcId,
        deregistrationDelay: String(deregistrationDelay),
        healthCheck: {
          enabled: true,
          path: healthCheckPath,
          matcher: '200',
          interval: 15,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
      });
    this.webTargetGroup = targetGroup('web', props.healthCheckPaths.web, 15);
    this.apiTargetGroup = targetGroup('api', props.healthCheckPaths.api, props.apiDeregistrationDelaySeconds);

    const forwardToWeb = [{ type: 'forward', targetGroupArn: this.webTargetGroup.arn }];
    if (config.certificateArn) {
      this.listener = new LbListener(this, 'https', {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: TLS_POLICY,
        certificateArn: config.certificateArn,
        defaultAction: forwardToWeb,
      });
      new LbListener(this, 'http-redirect', {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
      });
    } else {
      this.listener = new LbListener(this, 'http', {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: forwardToWeb,
      });
    }

    chunk(config.apiPathPatterns, MAX_PATTERNS_PER_RULE).forEach((patterns, i) => {
      new LbListenerRule(this, `api-paths-${i}`, {
        listenerArn: this.listener.arn,
        priority: 10 * (i + 1),
        condition: [{ pathPattern: { values: patterns } }],
        action: [{ type: 'forward', targetGroupArn: this.apiTargetGroup.arn }],
      });
    });
  }
}
