/**
 * IAM users and roles by name (`iam:GetRole`, `iam:GetUser`), each asked at most once per run:
 * the principals, Lambda role and lockout checks may all need the same role.
 */
import { GetRoleCommand, GetUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { type LookupFailure, lookupFailure } from '../lib/lookup-failure';
import { errorName } from '../verify/diagnosis';

/** What IAM said about one user or role. */
export type IamEntity =
  /** It exists; `arn` is as IAM reports it, with its path. */
  | { readonly kind: 'found'; readonly arn: string; readonly path: string; readonly name: string }
  /** `NoSuchEntity`: there is no such user or role in the caller's account. */
  | { readonly kind: 'missing'; readonly error: unknown }
  /** The caller may not ask, or anything else went wrong (throttling, network). */
  | LookupFailure;

/** Looks up IAM users and roles of the caller's account. */
export interface IamLookup {
  role(name: string): Promise<IamEntity>;
  user(name: string): Promise<IamEntity>;
}

function outcome(error: unknown): IamEntity {
  if (errorName(error) === 'NoSuchEntityException' || errorName(error) === 'NoSuchEntity') return { kind: 'missing', error };
  return lookupFailure(error);
}

/** A lookup over `iam` that remembers every answer (IAM names are unique per account). */
export function createIamLookup(iam: IAMClient): IamLookup {
  const roles = new Map<string, Promise<IamEntity>>();
  const users = new Map<string, Promise<IamEntity>>();
  const role = async (name: string): Promise<IamEntity> => {
    try {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: name }));
      if (!Role?.Arn) return { kind: 'error', error: new Error('iam:GetRole answered without Role.Arn') };
      return { kind: 'found', arn: Role.Arn, path: Role.Path ?? '/', name: Role.RoleName ?? name };
    } catch (error) {
      return outcome(error);
    }
  };
  const user = async (name: string): Promise<IamEntity> => {
    try {
      const { User } = await iam.send(new GetUserCommand({ UserName: name }));
      if (!User?.Arn) return { kind: 'error', error: new Error('iam:GetUser answered without User.Arn') };
      return { kind: 'found', arn: User.Arn, path: User.Path ?? '/', name: User.UserName ?? name };
    } catch (error) {
      return outcome(error);
    }
  };
  const remembered = (cache: Map<string, Promise<IamEntity>>, ask: (name: string) => Promise<IamEntity>) => (name: string) => {
    let answer = cache.get(name);
    if (!answer) {
      answer = ask(name);
      cache.set(name, answer);
    }
    return answer;
  };
  return { role: remembered(roles, role), user: remembered(users, user) };
}
