/** Who runs verify (`sts:GetCallerIdentity`, which needs no permission) and whether the config names them. */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Caller } from './types';

/** Asks STS who the credentials belong to. Errors propagate: without an identity nothing can be checked. */
export async function identifyCaller(sts: STSClient): Promise<Caller> {
  const answer = await sts.send(new GetCallerIdentityCommand({}));
  if (!answer.Arn || !answer.Account) throw new Error('sts:GetCallerIdentity answered without Arn or Account');
  return { arn: answer.Arn, accountId: answer.Account };
}

const ASSUMED_ROLE = /^arn:([a-z-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;
const IAM_ENTITY = /^arn:([a-z-]+):iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/;

/**
 * Whether `principalArn` (as written in the config: `arn:...:iam::<account>:role/path/name` or
 * `user/...`) is the caller. An assumed-role session (`arn:...:sts::<account>:assumed-role/<name>/<session>`)
 * carries no role path, so roles match by account and name; IAM role names are unique per account.
 */
export function callerIs(caller: Caller, principalArn: string): boolean {
  if (caller.arn === principalArn) return true;
  const session = ASSUMED_ROLE.exec(caller.arn);
  const entity = IAM_ENTITY.exec(principalArn);
  if (!session || !entity) return false;
  return (
    entity[3] === 'role' && session[1] === entity[1] && session[2] === entity[2] && session[3].toLowerCase() === entity[4].toLowerCase()
  );
}

/** Whether the caller is one of `principalArns`. */
export function callerIsAny(caller: Caller, principalArns: readonly string[]): boolean {
  return principalArns.some((arn) => callerIs(caller, arn));
}
