import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { CONTAINER_PORTS } from '../config/resource-names';
import type { StackConfig } from '../config/stack-config';

export const AZ_COUNT = 2;
const HTTPS = 443;

export interface NetworkProps {
  readonly prefix: string;
  readonly region: string;
  readonly config: StackConfig['network'];
  /** Whether the load balancer listens on 443 (and redirects 80). */
  readonly https: boolean;
}

/** Public /24s at 10.x.0.0, 10.x.1.0; private /20s at 10.x.16.0, 10.x.32.0 (room for many task ENIs). */
export function subnetCidrs(vpcCidr: string, azCount: number): { public: string[]; private: string[] } {
  const [a, b] = vpcCidr.split('.');
  const azs = [...Array(azCount).keys()];
  return {
    public: azs.map((i) => `${a}.${b}.${i}.0/24`),
    private: azs.map((i) => `${a}.${b}.${16 * (i + 1)}.0/20`),
  };
}

/**
 * VPC over two AZs: public subnets hold only the ALB and NAT gateways; ECS tasks, the SageMaker
 * endpoint's ENIs and the SageMaker runtime interface endpoint sit in private subnets.
 *
 * Security groups form a chain where each admits only the previous hop on its port:
 * internet → alb (80/443) → web (3000) / api (8080) → sagemaker-runtime endpoint (443).
 * The model's own group admits nothing: SageMaker delivers invocations through its service plane,
 * not through the VPC.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly natGateways: NatGateway[] = [];
  readonly s3Endpoint: VpcEndpoint;
  readonly securityGroups: {
    readonly alb: SecurityGroup;
    readonly web: SecurityGroup;
    readonly api: SecurityGroup;
    readonly sagemakerRuntime: SecurityGroup;
    readonly model: SecurityGroup;
  };

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { prefix, region, config } = props;
    const cidrs = subnetCidrs(config.vpcCidr, AZ_COUNT);

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: config.vpcCidr,
      enableDnsSupport: true,
      // Required for the interface endpoint's private DNS name.
      enableDnsHostnames: true,
      tags: { Name: prefix },
    });
    const zones = new DataAwsAvailabilityZones(this, 'zones', { state: 'available' });
    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: prefix } });

    const publicRoutes = new RouteTable(this, 'public-routes', { vpcId: this.vpc.id, tags: { Name: `${prefix}-public` } });
    new Route(this, 'public-default-route', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });

    const privateRouteTables: RouteTable[] = [];
    for (let i = 0; i < AZ_COUNT; i++) {
      const availabilityZone = Fn.element(zones.names, i);
      const publicSubnet = new Subnet(this, `public-${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidrs.public[i],
        availabilityZone,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${prefix}-public-${i}`, Tier: 'public' },
      });
      new RouteTableAssociation(this, `public-${i}-routes`, { subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
      this.publicSubnets.push(publicSubnet);

      const privateSubnet = new Subnet(this, `private-${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidrs.private[i],
        availabilityZone,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${prefix}-private-${i}`, Tier: 'private' },
      });
      this.privateSubnets.push(privateSubnet);

      if (i === 0 || config.natGateways === 'per-az') {
        const eip = new Eip(this, `nat-${i}-ip`, { domain: 'vpc', tags: { Name: `${prefix}-nat-${i}` } });
        this.natGateways.push(
          new NatGateway(this, `nat-${i}`, {
            allocationId: eip.allocationId,
            subnetId: publicSubnet.id,
            tags: { Name: `${prefix}-nat-${i}` },
            dependsOn: [igw],
          }),
        );
      }
      const privateRoutes = new RouteTable(this, `private-${i}-routes`, {
        vpcId: this.vpc.id,
        tags: { Name: `${prefix}-private-${i}` },
      });
      new Route(this, `private-${i}-default-route`, {
        routeTableId: privateRoutes.id,
        destinationCidrBlock: '0.0.0.0/0',
        // With a single NAT gateway every AZ leaves through AZ 0.
        natGatewayId: this.natGateways[Math.min(i, this.natGateways.length - 1)].id,
      });
      new RouteTableAssociation(this, `private-${i}-association`, {
        subnetId: privateSubnet.id,
        routeTableId: privateRoutes.id,
      });
      privateRouteTables.push(privateRoutes);
    }

    // Gateway endpoints are free and keep audio (S3) and job (DynamoDB) traffic off the NAT gateways.
    const privateRouteTableIds = privateRouteTables.map((table) => table.id);
    this.s3Endpoint = new VpcEndpoint(this, 's3-endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRouteTableIds,
      tags: { Name: `${prefix}-s3` },
    });
    new VpcEndpoint(this, 'dynamodb-endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${region}.dynamodb`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRouteTableIds,
      tags: { Name: `${prefix}-dynamodb` },
    });

    const group = (name: string, description: string) =>
      new SecurityGroup(this, `${name}-sg`, {
        name: `${prefix}-${name}`,
        description,
        vpcId: this.vpc.id,
        tags: { Name: `${prefix}-${name}` },
        // Terraform removes AWS's default allow-all egress from groups it creates; rules below are all there is.
      });
    const alb = group('alb', 'Load balancer: HTTP(S) from the allowed CIDRs');
    const web = group('web', 'Web console tasks: port 3000 from the load balancer only');
    const api = group('api', 'API tasks: port 8080 from the load balancer only');
    const sagemakerRuntime = group('sagemaker-runtime', 'SageMaker runtime endpoint: HTTPS from API tasks only');
    const model = group('model', 'SageMaker model containers: no inbound traffic');
    this.securityGroups = { alb, web, api, sagemakerRuntime, model };

    const listenerPorts = props.https ? [80, HTTPS] : [80];
    config.ingressCidrs.forEach((cidr, c) => {
      for (const port of listenerPorts) {
        new VpcSecurityGroupIngressRule(this, `alb-in-${port}-${c}`, {
          securityGroupId: alb.id,
          description: `HTTP${port === HTTPS ? 'S' : ''} from ${cidr}`,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        });
      }
    });
    this.allowHop(alb, web, CONTAINER_PORTS.web, 'web');
    this.allowHop(alb, api, CONTAINER_PORTS.api, 'api');
    this.allowHop(api, sagemakerRuntime, HTTPS, 'sagemaker-runtime');

    // Tasks reach ECR, CloudWatch Logs, Secrets Manager, S3 and DynamoDB over HTTPS only.
    for (const [name, sg] of [
      ['web', web],
      ['api', api],
      // SageMaker pulls the model artifact through the model's ENIs; the container itself is network-isolated.
      ['model', model],
    ] as const) {
      new VpcSecurityGroupEgressRule(this, `${name}-out-https`, {
        securityGroupId: sg.id,
        description: 'HTTPS to AWS APIs (via NAT or VPC endpoints)',
        ipProtocol: 'tcp',
        fromPort: HTTPS,
        toPort: HTTPS,
        cidrIpv4: '0.0.0.0/0',
      });
    }

    new VpcEndpoint(this, 'sagemaker-runtime-endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${region}.sagemaker.runtime`,
      vpcEndpointType: 'Interface',
      privateDnsEnabled: true,
      subnetIds: this.privateSubnets.map((subnet) => subnet.id),
      securityGroupIds: [sagemakerRuntime.id],
      tags: { Name: `${prefix}-sagemaker-runtime` },
    });
  }

  /** `to` admits `from` on `port`, and `from` may send to `to` on that port and nowhere else by this rule. */
  private allowHop(from: SecurityGroup, to: SecurityGroup, port: number, name: string): void {
    new VpcSecurityGroupIngressRule(this, `${name}-in-from-previous-hop`, {
      securityGroupId: to.id,
      description: `Port ${port} from the previous hop only`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: from.id,
    });
    new VpcSecurityGroupEgressRule(this, `${name}-out-from-previous-hop`, {
      securityGroupId: from.id,
      description: `Port ${port} to the next hop`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: to.id,
    });
  }
}
