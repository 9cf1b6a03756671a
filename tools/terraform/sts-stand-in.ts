/**
 * A loopback stand-in for STS `GetCallerIdentity`, so that the AWS provider can validate its (fake)
 * credentials, learn its account for `allowed_account_ids`, and read `data.aws_caller_identity`
 * without leaving the machine. It answers the account encoded in the request's access key id
 * (see `offlineAccessKeyId`), so one stand-in serves stacks of several accounts. Every other STS
 * action gets an error.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The account answered when the access key does not name one. */
export const DEFAULT_OFFLINE_ACCOUNT_ID = '111122223333';

const KEY_PREFIX = 'OFFLINE';

/** The fake access key id that makes the stand-in answer `accountId`. */
export function offlineAccessKeyId(accountId: string): string {
  if (!/^\d{12}$/.test(accountId)) throw new Error(`"${accountId}" is not a 12-digit AWS account id`);
  return `${KEY_PREFIX}${accountId}`;
}

/** The account an access key id names, or the default account. */
export function accountForAccessKeyId(accessKeyId: string | undefined): string {
  const match = accessKeyId === undefined ? null : new RegExp(`^${KEY_PREFIX}(\\d{12})$`).exec(accessKeyId);
  return match ? match[1] : DEFAULT_OFFLINE_ACCOUNT_ID;
}

/** One request the stand-in received. */
export interface StsRequest {
  readonly action: string | null;
  readonly accessKeyId: string | undefined;
}

/** A running stand-in. */
export interface StsStandIn {
  /** `http://127.0.0.1:<port>`, for the provider's `endpoints { sts = ... }`. */
  readonly endpoint: string;
  /** Every request so far, oldest first. */
  readonly requests: readonly StsRequest[];
  /** Stops listening; resolves once the server is closed. */
  close(): Promise<void>;
}

/** `Credential=<access key id>/<date>/<region>/sts/aws4_request` in a SigV4 Authorization header. */
function accessKeyIdOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? '';
  return /Credential=([^/,\s]+)\//.exec(header)?.[1];
}

const xmlEscape = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function callerIdentityXml(accountId: string): string {
  return [
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    '<GetCallerIdentityResult>',
    `<Arn>arn:aws:iam::${accountId}:user/offline-plan</Arn>`,
    '<UserId>AIDAOFFLINEPLANUSER00</UserId>',
    `<Account>${accountId}</Account>`,
    '</GetCallerIdentityResult>',
    '<ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata>',
    '</GetCallerIdentityResponse>',
  ].join('');
}

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>00000000-0000-4000-8000-000000000001</RequestId></ErrorResponse>`;
}

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/** Starts the stand-in on a free loopback port. */
export async function startStsStandIn(): Promise<StsStandIn> {
  const requests: StsRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const params = new URLSearchParams(request.method === 'POST' ? body : (request.url ?? '').split('?')[1] ?? '');
      const action = params.get('Action');
      const accessKeyId = accessKeyIdOf(request);
      requests.push({ action, accessKeyId });
      if (action === 'GetCallerIdentity') answer(response, 200, callerIdentityXml(accountForAccessKeyId(accessKeyId)));
      else answer(response, 400, errorXml('InvalidAction', `the offline STS stand-in only answers GetCallerIdentity, not ${action}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
