/**
 * Guardrails over the synthesized Terraform of every example environment and both stacks: they
 * hold for anything added later, not just for the resources the construct tests know about.
 */
import { UNSCOPABLE_ACTIONS } from '../constructs/iam.construct';
import {
  EXAMPLE_ENVIRONMENTS,
  exampleArtifacts,
  examplePlatform,
  policyStatements,
  reference,
  referenced,
  resourceList,
  resources,
  type TerraformJson,
} from '../testing/synth';

const unscopable = new Set<string>(UNSCOPABLE_ACTIONS);

describe.each(EXAMPLE_ENVIRONMENTS)('policies (%s)', (env) => {
  const platform = examplePlatform(env).tf;
  const stacks: [string, TerraformJson][] = [
    ['platform', platform],
    ['artifacts', exampleArtifacts(env).tf],
  ];

  describe('IAM', () => {
    const allows = policyStatements(platform).filter((statement) => statement.effect === 'Allow' && !statement.principals);

    it('grants no wildcard action: neither "*" nor a service wildcard like s3:* or sagemaker:*', () => {
      expect(allows.length).toBeGreaterThan(10);
      const wildcards = allows.flatMap((statement) => statement.actions.filter((action) => action.includes('*')));
      expect(wildcards).toEqual([]);
    });

    it('scopes every statement to resources, except actions IAM cannot scope', () => {
      const unscoped = allows.filter((statement) => statement.resources.includes('*'));
      for (const statement of unscoped) {
        expect({ sid: statement.sid, actions: statement.actions.filter((action) => !unscopable.has(action)) }).toEqual({
          sid: statement.sid,
          actions: [],
        });
      }
      const metrics = unscoped.filter((statement) => statement.actions.includes('cloudwatch:PutMetricData'));
      for (const statement of metrics) expect(statement.condition).toEqual([expect.objectContaining({ variable: 'cloudwatch:namespace' })]);
    });

    it('defines every permission in a policy document these tests read (no managed or hand-written policies)', () => {
      for (const policy of resourceList(platform, 'aws_iam_role_policy')) {
        expect(reference(policy.policy).type).toBe('aws_iam_policy_document');
      }
      for (const role of resourceList(platform, 'aws_iam_role')) expect(role.managed_policy_arns).toBeUndefined();
      expect(resources(platform, 'aws_iam_policy')).toEqual({});
    });

    it('guards every trust policy against the confused deputy: aws:SourceAccount always, aws:SourceArn where the service documents it', () => {
      const trusts = policyStatements(platform).filter((statement) => statement.principals?.some((principal) => principal.type === 'Service'));
      expect(trusts.length).toBe(resourceList(platform, 'aws_iam_role').length);
      for (const trust of trusts) {
        const service = trust.principals?.[0]?.identifiers[0] as string;
        expect({ service, account: trust.condition?.find((c) => c.variable === 'aws:SourceAccount') }).toEqual({
          service,
          account: { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.caller.account_id}'] },
        });
      }
      const sourceArns = (role: string) =>
        trusts.filter((trust) => trust.document.startsWith(`iam_${role}-trust`)).flatMap((trust) => trust.condition ?? []).filter((c) => c.variable === 'aws:SourceArn');
      expect(sourceArns('api-task')).toEqual([{ test: 'ArnLike', variable: 'aws:SourceArn', values: [expect.stringMatching(/^arn:.*:ecs:us-east-1:.*:\*$/)] }]);
      expect(sourceArns('sagemaker')).toEqual([{ test: 'ArnLike', variable: 'aws:SourceArn', values: [expect.stringMatching(/^arn:.*:sagemaker:us-east-1:.*:\*$/)] }]);
    });

    it('lets SageMaker create and manage network interfaces only in the model VPC and its private subnets', () => {
      const eni = allows.filter((statement) => statement.actions.some((action) => /NetworkInterface/.test(action) && !action.startsWith('ec2:Describe')));
      expect(eni.length).toBeGreaterThanOrEqual(2);
      for (const statement of eni) {
        for (const resource of statement.resources) {
          if (!resource.includes(':network-interface/')) {
            // The subnet and security-group side of CreateNetworkInterface: named resources, never a wildcard.
            expect(resource).toMatch(/^\$\{aws_(subnet|security_group)\.[^}]+\.arn\}$/);
            continue;
          }
          expect(statement.condition).toContainEqual({ test: 'ArnEquals', variable: 'ec2:Vpc', values: [expect.stringMatching(/^\$\{aws_vpc\.[^}]+\.arn\}$/)] });
        }
      }
      const created = eni.find((statement) => statement.sid === 'CreateModelInterfaces');
      const subnets = created?.condition?.find((c) => c.variable === 'ec2:Subnet')?.values ?? [];
      expect(subnets.map((subnet) => referenced(platform, subnet).tags.Tier)).toEqual(['private', 'private']);
    });

    it('denies the API task role every write to API-key items (apikey#…) but the lastUsedAt stamp', () => {
      const statements = policyStatements(platform).filter((statement) => statement.document.includes('api-task-permissions'));
      const denies = statements.filter((statement) => statement.effect === 'Deny');
      const leadingKeys = { test: 'ForAnyValue:StringLike', variable: 'dynamodb:LeadingKeys', values: ['apikey#*'] };
      const writes = ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem'];
      const allowedWrites = statements.filter((statement) => statement.effect === 'Allow').flatMap((statement) => statement.actions).filter((action) => writes.includes(action));
      // Every write the role is allowed is covered by a deny on API-key items.
      const onApiKeys = (deny: (typeof denies)[number]) =>
        (deny.condition ?? []).some((c) => c.test === leadingKeys.test && c.variable === leadingKeys.variable && c.values.join() === leadingKeys.values.join());
      expect(allowedWrites.sort()).toEqual([...writes].sort());
      for (const action of allowedWrites) {
        expect({ action, denied: denies.some((deny) => deny.actions.includes(action) && deny.resources.length > 0 && onApiKeys(deny)) }).toEqual({ action, denied: true });
      }
      const update = denies.find((deny) => deny.actions.includes('dynamodb:UpdateItem'));
      expect(update?.condition).toEqual([leadingKeys, { test: 'ForAnyValue:StringNotEquals', variable: 'dynamodb:Attributes', values: ['id', 'lastUsedAt'] }]);
      expect(denies.filter((deny) => deny !== update).every((deny) => deny.condition?.length === 1)).toBe(true);
    });

    it('uses deny-only statements for "s3:*" (the TLS-only bucket policies)', () => {
      for (const [, tf] of stacks) {
        const denies = policyStatements(tf).filter((statement) => statement.actions.includes('s3:*'));
        for (const statement of denies) expect(statement.effect).toBe('Deny');
      }
    });
  });

  describe('network placement', () => {
    const tier = (subnet: string) => referenced(platform, subnet).tags.Tier;

    it('runs ECS services in private subnets without public IPs', () => {
      const services = resourceList(platform, 'aws_ecs_service');
      expect(services).toHaveLength(2);
      for (const service of services) {
        expect(service.network_configuration.assign_public_ip).toBe(false);
        expect(service.network_configuration.subnets.map(tier)).toEqual(['private', 'private']);
      }
    });

    it('places the SageMaker model only in private subnets', () => {
      for (const model of resourceList(platform, 'aws_sagemaker_model')) {
        expect(model.vpc_config.subnets.map(tier)).toEqual(['private', 'private']);
      }
    });

    it('lets only the load balancer and NAT gateways use public subnets', () => {
      const publicSubnets = Object.entries(resources(platform, 'aws_subnet'))
        .filter(([, subnet]) => subnet.tags.Tier === 'public')
        .map(([id]) => `aws_subnet.${id}.`);
      const users = Object.entries(platform.resource).flatMap(([type, blocks]) =>
        Object.values(blocks)
          .filter((block) => publicSubnets.some((subnet) => JSON.stringify(block).includes(subnet)))
          .map(() => type),
      );
      expect([...new Set(users)].sort()).toEqual(['aws_lb', 'aws_nat_gateway', 'aws_route_table_association']);
    });
  });

  describe('S3', () => {
    it.each(['platform', 'artifacts'])('encrypts, blocks public access to and requires TLS for every bucket (%s stack)', (stack) => {
      const tf = stacks.find(([name]) => name === stack)?.[1] as TerraformJson;
      const buckets = Object.keys(resources(tf, 'aws_s3_bucket')).map((id) => `\${aws_s3_bucket.${id}.id}`);
      expect(buckets).toHaveLength(1);
      const forBucket = (type: string, bucket: string) => resourceList(tf, type).filter((block) => block.bucket === bucket);
      for (const bucket of buckets) {
        expect(forBucket('aws_s3_bucket_server_side_encryption_configuration', bucket)).toEqual([
          expect.objectContaining({ rule: [{ apply_server_side_encryption_by_default: expect.objectContaining({ sse_algorithm: expect.any(String) }) }] }),
        ]);
        expect(forBucket('aws_s3_bucket_public_access_block', bucket)).toEqual([
          expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
        ]);
        const [policy] = forBucket('aws_s3_bucket_policy', bucket);
        const statements = referenced(tf, policy.policy).statement;
        expect(statements).toContainEqual(
          expect.objectContaining({ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }),
        );
      }
    });
  });

  describe('CloudWatch Logs', () => {
    it('sets a retention period on every log group', () => {
      const groups = resourceList(platform, 'aws_cloudwatch_log_group');
      expect(groups).toHaveLength(3);
      for (const group of groups) expect(group.retention_in_days).toBe(30);
    });

    it('has every container log into a group the stack manages (none auto-created without retention)', () => {
      const managed = new Set(resourceList(platform, 'aws_cloudwatch_log_group').map((group) => group.name));
      for (const task of resourceList(platform, 'aws_ecs_task_definition')) {
        for (const container of JSON.parse(task.container_definitions)) {
          expect(managed.has(container.logConfiguration.options['awslogs-group'])).toBe(true);
        }
      }
    });
  });

  describe('security groups', () => {
    const groupName = (expression: string) => (referenced(platform, expression).name as string).replace(`speech-${env}-`, '');
    const describeRule = (rule: Record<string, string | number>) =>
      `${rule.referenced_security_group_id ? groupName(String(rule.referenced_security_group_id)) : rule.cidr_ipv4}:${rule.from_port}-${rule.to_port}`;
    const rulesByGroup = (type: string) => {
      const map: Record<string, string[]> = { alb: [], web: [], api: [], 'sagemaker-runtime': [], model: [] };
      for (const rule of resourceList(platform, type)) map[groupName(rule.security_group_id)].push(describeRule(rule));
      for (const list of Object.values(map)) list.sort();
      return map;
    };

    it('admits into each group only the previous hop, on its port', () => {
      expect(rulesByGroup('aws_vpc_security_group_ingress_rule')).toEqual({
        alb: env === 'prod' ? ['0.0.0.0/0:443-443', '0.0.0.0/0:80-80'] : ['0.0.0.0/0:80-80'],
        web: ['alb:3000-3000'],
        api: ['alb:8080-8080'],
        'sagemaker-runtime': ['api:443-443'],
        model: [],
      });
    });

    it('lets traffic out only to the next hop or to HTTPS', () => {
      expect(rulesByGroup('aws_vpc_security_group_egress_rule')).toEqual({
        alb: ['api:8080-8080', 'web:3000-3000'],
        web: ['0.0.0.0/0:443-443'],
        api: ['0.0.0.0/0:443-443', 'sagemaker-runtime:443-443'],
        'sagemaker-runtime': [],
        model: ['0.0.0.0/0:443-443'],
      });
      for (const rule of resourceList(platform, 'aws_vpc_security_group_egress_rule')) expect(rule.ip_protocol).toBe('tcp');
    });
  });
});
