/**
 * A loopback stand-in for the IAM calls the AWS provider (hashicorp/aws 5.100.0) makes when it
 * imports and refreshes an existing `aws_iam_role` (`GetRole`, `ListRolePolicies`,
 * `ListAttachedRolePolicies`), so that a plan with `lambdaRole.importExisting` runs offline against
 * a role "made in the console". It speaks IAM's query protocol (form-encoded `Action=...`, XML
 * answers) for one configured role, records every request (as the STS stand-in does), and answers
 * any other action with an `InvalidAction` error naming it, so a provider that starts calling
 * something new fails the plan loudly.
 */
import {
  accessKeyIdOf,
  countByAction,
  queryErrorXml,
  queryParameters,
  type RecordingStandIn,
  type StandInRequest,
  startLoopbackServer,
  xmlEscape,
  xmlReply,
} from './loopback-server';

/** A managed policy attached to the role. */
export interface AttachedPolicy {
  /** `PolicyName`, e.g. `AWSLambdaBasicExecutionRole-<id>`. */
  readonly name: string;
  /** `PolicyArn`. */
  readonly arn: string;
}

/** The role the stand-in pretends exists. */
export interface ExistingIamRole {
  /** The account that owns the role. */
  readonly accountId: string;
  /** The role's name, which the provider imports it by. */
  readonly name: string;
  /** The role's path, `/` or `/segment/.../`. */
  readonly path: string;
  /** The trust policy document (JSON text; IAM returns it URL-encoded, the stand-in too). */
  readonly assumeRolePolicy: string;
  /**
   * The managed policies attached to it.
   * @default none
   */
  readonly attachedPolicies?: readonly AttachedPolicy[];
  /**
   * The role's description.
   * @default none (the console's Lambda wizard sets none)
   */
  readonly description?: string;
  /**
   * `RoleId`, which IAM answers and Terraform keeps as `unique_id`.
   * @default 'AROAOFFLINECONSOLE001'
   */
  readonly roleId?: string;
}

/** One request the stand-in received: its action (the form's `Action`), access key id, and role. */
export interface IamRequest extends StandInRequest {
  /** The form's `RoleName`, or null without one. */
  readonly roleName: string | null;
}

/** A running stand-in; its endpoint is for the provider's `endpoints { iam = ... }`. */
export interface IamStandIn extends RecordingStandIn<IamRequest> {
  /** The role's ARN, `arn:aws:iam::<account>:role<path><name>`. */
  readonly roleArn: string;
  /** How many requests of each action so far, e.g. `{ GetRole: 1 }`. */
  requestCounts(): Record<string, number>;
}

/**
 * The trust policy the Lambda console gives a role it creates ("Create a new role with basic Lambda
 * permissions"): Lambda may assume it, with no condition on the calling account.
 */
export const CONSOLE_LAMBDA_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const META = '<ResponseMetadata><RequestId>00000000-0000-4000-8000-0000000000b1</RequestId></ResponseMetadata>';

function resultXml(action: string, result: string): string {
  return `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result>${META}</${action}Response>`;
}

function errorXml(code: string, message: string): string {
  return queryErrorXml(NAMESPACE, '00000000-0000-4000-8000-0000000000b2', code, message);
}

/** The status and XML answer to `action` about `roleName`. */
function answerFor(role: ExistingIamRole, roleArn: string, action: string | null, roleName: string | null): [number, string] {
  const known = ['GetRole', 'ListRolePolicies', 'ListAttachedRolePolicies'];
  if (action === null || !known.includes(action)) {
    return [400, errorXml('InvalidAction', `the offline IAM stand-in only answers ${known.join(', ')}, not ${action}`)];
  }
  if (roleName !== role.name) return [404, errorXml('NoSuchEntity', `The role with name ${roleName} cannot be found.`)];
  switch (action) {
    case 'GetRole':
      return [
        200,
        resultXml(
          action,
          [
            '<Role>',
            `<Path>${xmlEscape(role.path)}</Path>`,
            `<AssumeRolePolicyDocument>${xmlEscape(encodeURIComponent(role.assumeRolePolicy))}</AssumeRolePolicyDocument>`,
            '<MaxSessionDuration>3600</MaxSessionDuration>',
            `<RoleId>${xmlEscape(role.roleId ?? 'AROAOFFLINECONSOLE001')}</RoleId>`,
            `<RoleName>${xmlEscape(role.name)}</RoleName>`,
            role.description === undefined ? '' : `<Description>${xmlEscape(role.description)}</Description>`,
            `<Arn>${xmlEscape(roleArn)}</Arn>`,
            '<CreateDate>2026-01-01T00:00:00Z</CreateDate>',
            '<RoleLastUsed/>',
            '</Role>',
          ].join(''),
        ),
      ];
    case 'ListRolePolicies':
      return [200, resultXml(action, '<PolicyNames/><IsTruncated>false</IsTruncated>')];
    default: {
      const members = (role.attachedPolicies ?? []).map(
        (p) => `<member><PolicyName>${xmlEscape(p.name)}</PolicyName><PolicyArn>${xmlEscape(p.arn)}</PolicyArn></member>`,
      );
      return [200, resultXml(action, `<AttachedPolicies>${members.join('')}</AttachedPolicies><IsTruncated>false</IsTruncated>`)];
    }
  }
}

/** Starts the stand-in for `role` on a free loopback port. */
export async function startIamStandIn(role: ExistingIamRole): Promise<IamStandIn> {
  const roleArn = `arn:aws:iam::${role.accountId}:role${role.path}${role.name}`;
  const requests: IamRequest[] = [];
  const server = await startLoopbackServer((request, body) => {
    const params = queryParameters(request, body);
    const action = params.get('Action');
    const roleName = params.get('RoleName');
    requests.push({ action, roleName, accessKeyId: accessKeyIdOf(request) });
    return xmlReply(...answerFor(role, roleArn, action, roleName));
  });
  return { ...server, roleArn, requests, requestCounts: () => countByAction(requests) };
}
