/**
 * A loopback stand-in for STS `GetCallerIdentity`, so that the AWS provider can validate its (fake)
 * credentials, learn its account for `allowed_account_ids`, and read `data.aws_caller_identity`
 * without leaving the machine. It answers the account encoded in the request's access key id
 * (see `offlineAccessKeyId`), so one stand-in serves stacks of several accounts. Every other STS
 * action gets an error.
 */
import {
  accessKeyIdOf,
  queryErrorXml,
  queryParameters,
  type RecordingStandIn,
  type StandInRequest,
  startLoopbackServer,
  xmlReply,
} from './loopback-server';

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
export type StsRequest = StandInRequest;

/** A running stand-in; its endpoint is for the provider's `endpoints { sts = ... }`. */
export type StsStandIn = RecordingStandIn<StsRequest>;

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

function callerIdentityXml(accountId: string): string {
  return [
    `<GetCallerIdentityResponse xmlns="${NAMESPACE}">`,
    '<GetCallerIdentityResult>',
    `<Arn>arn:aws:iam::${accountId}:user/offline-plan</Arn>`,
    '<UserId>AIDAOFFLINEPLANUSER00</UserId>',
    `<Account>${accountId}</Account>`,
    '</GetCallerIdentityResult>',
    '<ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata>',
    '</GetCallerIdentityResponse>',
  ].join('');
}

/** Starts the stand-in on a free loopback port. */
export async function startStsStandIn(): Promise<StsStandIn> {
  const requests: StsRequest[] = [];
  const server = await startLoopbackServer((request, body) => {
    const action = queryParameters(request, body).get('Action');
    const accessKeyId = accessKeyIdOf(request);
    requests.push({ action, accessKeyId });
    if (action === 'GetCallerIdentity') return xmlReply(200, callerIdentityXml(accountForAccessKeyId(accessKeyId)));
    return xmlReply(
      400,
      queryErrorXml(
        NAMESPACE,
        '00000000-0000-4000-8000-000000000001',
        'InvalidAction',
        `the offline STS stand-in only answers GetCallerIdentity, not ${action}`,
      ),
    );
  });
  return { ...server, requests };
}
