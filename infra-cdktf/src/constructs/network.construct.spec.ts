import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { examplePlatform, EXAMPLE_ENVIRONMENTS, referenced, resourceList } from '../testing/synth';
import { subnetCidrs } from './network.construct';

describe('subnetCidrs', () => {
  it('splits a /16 into /24 public and /20 private subnets that do not overlap', () => {
    expect(subnetCidrs('10.0.0.0/16', 2)).toEqual({
      public: ['10.0.0.0/24', '10.0.1.0/24'],
      private: ['10.0.16.0/20', '10.0.32.0/20'],
    });
  });
});

describe.each(EXAMPLE_ENVIRONMENTS)('Network (%s)', (env) => {
  const { json, tf } = examplePlatform(env);

  it('builds a 10.0.0.0/16 VPC with DNS hostnames', () => {
    expect(json).toHaveResourceWithProperties(Vpc, { cidr_block: '10.0.0.0/16', enable_dns_hostnames: true });
  });

  it('spreads a public and a private subnet over each of two AZs, none mapping public IPs', () => {
    const subnets = resourceList(tf, 'aws_subnet').map((subnet) => [
      subnet.tags.Tier,
      subnet.cidr_block,
      /names, (\d)\)/.exec(subnet.availability_zone)?.[1],
    ]);
    expect(subnets.sort()).toEqual([
      ['private', '10.0.16.0/20', '0'],
      ['private', '10.0.32.0/20', '1'],
      ['public', '10.0.0.0/24', '0'],
      ['public', '10.0.1.0/24', '1'],
    ]);
    expect(json).not.toHaveResourceWithProperties(Subnet, { map_public_ip_on_launch: true });
  });

  it('routes private subnets to the internet through NAT gateways in public subnets', () => {
    const nats = resourceList(tf, 'aws_nat_gateway');
    expect(nats).toHaveLength(env === 'prod' ? 2 : 1);
    for (const nat of nats) expect(referenced(tf, nat.subnet_id).tags.Tier).toBe('public');
    expect(json).toHaveResource(NatGateway);
    const natRoutes = resourceList(tf, 'aws_route').filter((route) => route.nat_gateway_id);
    expect(natRoutes).toHaveLength(2);
    expect(new Set(natRoutes.map((route) => route.nat_gateway_id)).size).toBe(env === 'prod' ? 2 : 1);
    expect(json).toHaveResourceWithProperties(Route, { destination_cidr_block: '0.0.0.0/0', gateway_id: expect.stringMatching(/aws_internet_gateway/) });
  });

  it('adds an S3 gateway endpoint (and DynamoDB) on the private route tables', () => {
    expect(json).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: 'com.amazonaws.us-east-1.s3',
      vpc_endpoint_type: 'Gateway',
      route_table_ids: [expect.stringMatching(/private-0-routes/), expect.stringMatching(/private-1-routes/)],
    });
    expect(json).toHaveResourceWithProperties(VpcEndpoint, { service_name: 'com.amazonaws.us-east-1.dynamodb', vpc_endpoint_type: 'Gateway' });
  });

  it('reaches the SageMaker runtime through a private interface endpoint guarded by its own group', () => {
    expect(json).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: 'com.amazonaws.us-east-1.sagemaker.runtime',
      vpc_endpoint_type: 'Interface',
      private_dns_enabled: true,
      security_group_ids: [expect.stringMatching(/network_sagemaker-runtime-sg/)],
    });
  });

  it('creates one security group per hop without inline rules', () => {
    expect(resourceList(tf, 'aws_security_group').map((sg) => sg.name).sort()).toEqual(
      ['alb', 'api', 'model', 'sagemaker-runtime', 'web'].map((hop) => `speech-${env}-${hop}`),
    );
    expect(json).not.toHaveResourceWithProperties(SecurityGroup, { ingress: expect.anything() });
    expect(json).not.toHaveResourceWithProperties(SecurityGroup, { egress: expect.anything() });
  });

  it(`opens the load balancer on ${env === 'prod' ? '80 and 443' : '80'} to the allowed CIDRs`, () => {
    const ports = resourceList(tf, 'aws_vpc_security_group_ingress_rule')
      .filter((rule) => rule.cidr_ipv4)
      .map((rule) => [rule.from_port, rule.to_port, rule.cidr_ipv4])
      .sort((a, b) => a[0] - b[0]);
    expect(ports).toEqual(env === 'prod' ? [[80, 80, '0.0.0.0/0'], [443, 443, '0.0.0.0/0']] : [[80, 80, '0.0.0.0/0']]);
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: expect.stringMatching(/network_web-sg/),
      referenced_security_group_id: expect.stringMatching(/network_alb-sg/),
      from_port: 3000,
      to_port: 3000,
    });
  });
});
