/**
 * A loopback stand-in for the IAM calls the AWS provider (hashicorp/aws 5.100.0) makes when it
 * imports and refreshes an existing `aws_iam_role` (`GetRole`, `ListRolePolicies`,
 * `ListAttachedRolePolicies`), so that a plan with `lambdaRole.importExisting` runs offline against
 * a role "made in the console". It speaks IAM's query protocol (form-encoded `Action=...`, XML
 * answers) for one configured role, records every request (as the STS stand-in does), and answers
 * any other action with an `InvalidAction` error naming it, so a provider that starts calling
 * something new fails the plan loudly.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

/** One request the stand-in received. */
export interface IamRequest {
  /** The form's `Action`, or null without one. */
  readonly action: string | null;
  /** The form's `RoleName`, or null without one. */
  readonly roleName: string | null;
  /** The access key id from the SigV4 Authorization header. */
  readonly accessKeyId: string | undefined;
}

/** A running stand-in. */
export interface IamStandIn {
  /** `http://127.0.0.1:<port>`, for the provider's `endpoints { iam = ... }`. */
  readonly endpoint: string;
  /** The role's ARN, `arn:aws:iam::<account>:role<path><name>`. */
  readonly roleArn: string;
  /** Every request so far, oldest first. */
  readonly requests: readonly IamRequest[];
  /** How many requests of each action so far, e.g. `{ GetRole: 1 }`. */
  requestCounts(): Record<string, number>;
  /** Stops listening; resolves once the server is closed. */
  close(): Promise<void>;
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

const xmlEscape = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `Credential=<access key id>/<date>/<region>/iam/aws4_request` in a SigV4 Authorization header. */
function accessKeyIdOf(request: IncomingMessage): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '')?.[1];
}

function resultXml(action: string, result: string): string {
  return `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result>${META}</${action}Response>`;
}

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>00000000-0000-4000-8000-0000000000b2</RequestId></ErrorResponse>`;
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
      const members = (role.attachedPolicies ?? []).map((p) => `<member><PolicyName>${xmlEscape(p.name)}</PolicyName><PolicyArn>${xmlEscape(p.arn)}</PolicyArn></member>`);
      return [200, resultXml(action, `<AttachedPolicies>${members.join('')}</AttachedPolicies><IsTruncated>false</IsTruncated>`)];
    }
  }
}

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/** Starts the stand-in for `role` on a free loopback port. */
export async function startIamStandIn(role: ExistingIamRole): Promise<IamStandIn> {
  const roleArn = `arn:aws:iam::${role.accountId}:role${role.path}${role.name}`;
  const requests: IamRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const params = new URLSearchParams(request.method === 'POST' ? body : (request.url ?? '').split('?')[1] ?? '');
      const action = params.get('Action');
      const roleName = params.get('RoleName');
      requests.push({ action, roleName, accessKeyId: accessKeyIdOf(request) });
      answer(response, ...answerFor(role, roleArn, action, roleName));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    roleArn,
    requests,
    requestCounts: () => {
      const counts: Record<string, number> = {};
      for (const { action } of requests) counts[action ?? '(none)'] = (counts[action ?? '(none)'] ?? 0) + 1;
      return counts;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
