import { PolicyStatement } from "../iam/policy-document";

/**
 * The AWS Load Balancer Controller's IAM policy, statement for statement the one the project publishes with
 * controller v3.5.0 (docs/install/iam_policy.json; identical from v2.17.1 to v3.5.0), with statement ids added.
 * Its mutating statements are limited to resources tagged `elbv2.k8s.aws/cluster` wherever the APIs allow; the
 * remaining `Resource: "*"` statements are documented in a guardrail suppression where the policy is attached.
 */
export const LOAD_BALANCER_CONTROLLER_STATEMENTS: readonly PolicyStatement[] = [
  {
    Sid: "CreateElbServiceLinkedRole",
    Effect: "Allow",
    Action: "iam:CreateServiceLinkedRole",
    Resource: "*",
    Condition: {
      "StringEquals": {
        "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"
      }
    },
  },
  {
    Sid: "DescribeNetworkAndLoadBalancers",
    Effect: "Allow",
    Action: [
      "ec2:DescribeAccountAttributes",
      "ec2:DescribeAddresses",
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeInternetGateways",
      "ec2:DescribeVpcs",
      "ec2:DescribeVpcPeeringConnections",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeInstances",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeTags",
      "ec2:GetCoipPoolUsage",
      "ec2:DescribeCoipPools",
      "ec2:GetSecurityGroupsForVpc",
      "ec2:DescribeIpamPools",
      "ec2:DescribeRouteTables",
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeListenerCertificates",
      "elasticloadbalancing:DescribeSSLPolicies",
      "elasticloadbalancing:DescribeRules",
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetGroupAttributes",
      "elasticloadbalancing:DescribeTargetHealth",
      "elasticloadbalancing:DescribeTags",
      "elasticloadbalancing:DescribeTrustStores",
      "elasticloadbalancing:DescribeListenerAttributes",
      "elasticloadbalancing:DescribeCapacityReservation"
    ],
    Resource: "*",
  },
  {
    Sid: "ReadCertificatesWafShield",
    Effect: "Allow",
    Action: [
      "cognito-idp:DescribeUserPoolClient",
      "acm:ListCertificates",
      "acm:DescribeCertificate",
      "iam:ListServerCertificates",
      "iam:GetServerCertificate",
      "waf-regional:GetWebACL",
      "waf-regional:GetWebACLForResource",
      "waf-regional:AssociateWebACL",
      "waf-regional:DisassociateWebACL",
      "wafv2:GetWebACL",
      "wafv2:GetWebACLForResource",
      "wafv2:AssociateWebACL",
      "wafv2:DisassociateWebACL",
      "shield:GetSubscriptionState",
      "shield:DescribeProtection",
      "shield:CreateProtection",
      "shield:DeleteProtection"
    ],
    Resource: "*",
  },
  {
    Sid: "ManageSecurityGroupIngress",
    Effect: "Allow",
    Action: [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress"
    ],
    Resource: "*",
  },
  {
    Sid: "CreateSecurityGroups",
    Effect: "Allow",
    Action: "ec2:CreateSecurityGroup",
    Resource: "*",
  },
  {
    Sid: "TagNewSecurityGroups",
    Effect: "Allow",
    Action: "ec2:CreateTags",
    Resource: "arn:aws:ec2:*:*:security-group/*",
    Condition: {
      "StringEquals": {
        "ec2:CreateAction": "CreateSecurityGroup"
      },
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "false"
      }
    },
  },
  {
    Sid: "TagOwnedSecurityGroups",
    Effect: "Allow",
    Action: [
      "ec2:CreateTags",
      "ec2:DeleteTags"
    ],
    Resource: "arn:aws:ec2:*:*:security-group/*",
    Condition: {
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "true",
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "false"
      }
    },
  },
  {
    Sid: "ManageOwnedSecurityGroups",
    Effect: "Allow",
    Action: [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:DeleteSecurityGroup"
    ],
    Resource: "*",
    Condition: {
      "Null": {
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "false"
      }
    },
  },
  {
    Sid: "CreateTaggedLoadBalancers",
    Effect: "Allow",
    Action: [
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateTargetGroup"
    ],
    Resource: "*",
    Condition: {
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "false"
      }
    },
  },
  {
    Sid: "ManageListenersAndRules",
    Effect: "Allow",
    Action: [
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:CreateRule",
      "elasticloadbalancing:DeleteRule"
    ],
    Resource: "*",
  },
  {
    Sid: "TagOwnedLoadBalancers",
    Effect: "Allow",
    Action: [
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:RemoveTags"
    ],
    Resource: [
      "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
      "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*",
      "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*"
    ],
    Condition: {
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "true",
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "false"
      }
    },
  },
  {
    Sid: "TagListenersAndRules",
    Effect: "Allow",
    Action: [
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:RemoveTags"
    ],
    Resource: [
      "arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*",
      "arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*",
      "arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*",
      "arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*"
    ],
  },
  {
    Sid: "ModifyOwnedLoadBalancers",
    Effect: "Allow",
    Action: [
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListenerAttributes",
      "elasticloadbalancing:ModifyCapacityReservation",
      "elasticloadbalancing:ModifyIpPools"
    ],
    Resource: "*",
    Condition: {
      "Null": {
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "false"
      }
    },
  },
  {
    Sid: "TagOnCreate",
    Effect: "Allow",
    Action: "elasticloadbalancing:AddTags",
    Resource: [
      "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
      "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*",
      "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*"
    ],
    Condition: {
      "StringEquals": {
        "elasticloadbalancing:CreateAction": [
          "CreateTargetGroup",
          "CreateLoadBalancer"
        ]
      },
      "Null": {
        "aws:RequestTag/elbv2.k8s.aws/cluster": "false"
      }
    },
  },
  {
    Sid: "RegisterTargets",
    Effect: "Allow",
    Action: [
      "elasticloadbalancing:RegisterTargets",
      "elasticloadbalancing:DeregisterTargets"
    ],
    Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
  },
  {
    Sid: "ManageListenerSettings",
    Effect: "Allow",
    Action: [
      "elasticloadbalancing:SetWebAcl",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:AddListenerCertificates",
      "elasticloadbalancing:RemoveListenerCertificates",
      "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:SetRulePriorities"
    ],
    Resource: "*",
  },
];

/** The statements of the published policy that change security groups the controller created. */
const OWNED_SECURITY_GROUP_STATEMENTS = ["TagOwnedSecurityGroups", "ManageOwnedSecurityGroups"];

/**
 * The published policy, with its security group statements narrowed: the groups it created only when tagged with this
 * cluster's name (the value the controller writes), not any group tagged `elbv2.k8s.aws/cluster`; and the ingress rules
 * it adds to the targets' groups only on `targetSecurityGroupArns` (the nodes' group, which the pods share), not on
 * every group of the account. The controller, or a pod that reaches its credentials, cannot open or delete the
 * security groups of another cluster, of the databases, or of anything else.
 */
export function loadBalancerControllerStatements(clusterName: string, targetSecurityGroupArns: readonly string[]): PolicyStatement[] {
  return LOAD_BALANCER_CONTROLLER_STATEMENTS.map((statement) => {
    if (statement.Sid === "ManageSecurityGroupIngress") return { ...statement, Resource: [...targetSecurityGroupArns] } as PolicyStatement;
    if (!OWNED_SECURITY_GROUP_STATEMENTS.includes(statement.Sid ?? "")) return statement;
    const { "aws:ResourceTag/elbv2.k8s.aws/cluster": owned, ...otherNulls } = (statement.Condition?.Null ?? {}) as Record<string, string>;
    if (owned !== "false") throw new Error(`${statement.Sid}: the published policy no longer conditions on the elbv2.k8s.aws/cluster tag`);
    return {
      ...statement,
      Condition: {
        ...(Object.keys(otherNulls).length ? { Null: otherNulls } : {}),
        StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": clusterName },
      },
    };
  });
}
