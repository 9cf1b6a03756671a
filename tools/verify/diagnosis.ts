/**
 * Turns AWS SDK errors into the causes the walk-through's "Troubleshooting" section aims at:
 * wrong region, alias missing, key disabled or pending deletion, AccessDenied (key policy or IAM
 * policy), missing credentials. Where KMS's answer does not tell causes apart, the diagnosis says so.
 */
import { parseKeyArn } from './key-arn';

/** A failure explained: one summary line and the causes worth checking. */
export interface Diagnosis {
  readonly summary: string;
  readonly details: readonly string[];
  /** Set when KMS's answer does not tell a missing permission from a key that is not there for this caller. */
  readonly ambiguity?: string;
}

/** The error's code as the SDK reports it (`NotFoundException`, `AccessDeniedException`, ...). */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : 'Error';
}

/** The error's message, or its string form. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** `Name: message`, on one line. */
export function oneLine(error: unknown): string {
  const message = errorMessage(error).replace(/\s+/g, ' ').trim();
  return message ? `${errorName(error)}: ${message}` : errorName(error);
}

/**
 * KMS answers `AccessDeniedException` (a code the SDK does not model, so it arrives as a
 * `KMSServiceException` with that name); IAM and STS answer `AccessDenied`.
 */
export function isAccessDenied(error: unknown): boolean {
  const name = errorName(error);
  return name === 'AccessDeniedException' || name === 'AccessDenied';
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'TokenProviderError',
]);

/** Whether the error means there are no usable credentials (none found, expired, or rejected). */
export function isCredentialsError(error: unknown): boolean {
  return CREDENTIAL_ERRORS.has(errorName(error));
}

/** What the run knows about where the request went, to tell wrong-region and wrong-account cases apart. */
export interface RequestScope {
  /** The alias or key ARN the request named. */
  readonly keyRef: string;
  /** The region the client talks to. */
  readonly region: string;
  /** The environment's configured region. */
  readonly configRegion: string;
  /** The caller's account. */
  readonly callerAccount: string;
  /** The environment's configured account, when set. */
  readonly configAccount?: string;
}

/**
 * What an AccessDenied message says about its cause. AWS's newer messages end with "because no
 * identity-based policy allows ...", "because no resource-based policy allows ..." or "with an
 * explicit deny in a ... policy"; older ones say only "is not authorized to perform".
 */
export function accessDeniedCause(message: string): string {
  if (/explicit deny/i.test(message)) {
    const where = /explicit deny in an? ([a-z -]+?) policy/i.exec(message)?.[1];
    return `an explicit Deny${where ? ` in a ${where} policy` : ''} blocks it; a Deny wins over every Allow`;
  }
  if (/no resource-based policy allows/i.test(message)) {
    return 'the key policy does not allow it: it must name this caller, or keep the account-root statement so that IAM policies count';
  }
  if (/no identity-based policy allows/i.test(message)) {
    return "the caller's IAM policies do not allow it (the key policy delegates to IAM through the account-root statement, so an IAM policy must allow the action on this key)";
  }
  if (/no session policy allows/i.test(message)) return 'the session policy of the assumed role does not allow it';
  if (/no permissions boundary allows/i.test(message)) return 'the permissions boundary of the caller does not allow it';
  return "check the key policy and the caller's IAM policies: the key policy must allow the action, naming the caller or delegating to IAM through the account-root statement (then an IAM policy must allow it too)";
}

/**
 * Whether an AccessDenied for this request could equally mean "this key does not exist for you":
 * KMS does not reveal keys of other accounts, nor keys named by an ARN of another region.
 */
export function accessDeniedIsAmbiguous(scope: RequestScope, message = ''): string | undefined {
  if (/does not exist, does not exist in this region, or you are not allowed/i.test(message)) {
    return 'KMS does not say whether the key is missing, in another region, or not allowed for this caller, so which one it is cannot be told from here';
  }
  const arn = parseKeyArn(scope.keyRef);
  if (!arn) return undefined;
  const places: string[] = [];
  if (arn.accountId !== scope.callerAccount)
    places.push(`the key ARN is in account ${arn.accountId}, the caller in ${scope.callerAccount}`);
  if (arn.region !== scope.region) places.push(`the key ARN is in ${arn.region}, the request went to ${scope.region}`);
  if (places.length === 0) return undefined;
  return `KMS answers AccessDenied both when a permission is missing and when the key does not exist for this caller (${places.join('; ')}), so which one it is cannot be told from here`;
}

/** Where to look when the alias is not found. */
function notFoundCauses(scope: RequestScope): string[] {
  const causes: string[] = [];
  if (scope.region !== scope.configRegion) {
    causes.push(
      `wrong region: the request went to ${scope.region}, but the environment is configured for ${scope.configRegion} (drop --region or pass --region ${scope.configRegion})`,
    );
  } else {
    causes.push(`aliases exist per region: is the stack deployed in ${scope.region}? (\`npm run deploy\`)`);
  }
  if (scope.configAccount && scope.configAccount !== scope.callerAccount) {
    causes.push(`wrong account: the credentials are for ${scope.callerAccount}, the environment is in ${scope.configAccount}`);
  } else {
    causes.push(
      `aliases exist per account: the credentials are for account ${scope.callerAccount}; use the profile of the account the stack was deployed to`,
    );
  }
  causes.push('the alias was deleted or renamed outside Terraform (`terraform plan` shows it)');
  return causes;
}

/** Explains a key state that blocks use. */
export function keyStateDiagnosis(state: string, deletionDate?: Date): Diagnosis {
  switch (state) {
    case 'Disabled':
      return {
        summary: 'the key is Disabled',
        details: [
          'a disabled key cannot be used for any cryptographic operation, decryption included (the walk-through says disabled keys can still decrypt existing data; they cannot)',
          'enable it with kms:EnableKey, or set key.isEnabled to true and deploy',
        ],
      };
    case 'PendingDeletion':
      return {
        summary: `the key is PendingDeletion${deletionDate ? ` (to be deleted on ${deletionDate.toISOString()})` : ''}`,
        details: [
          'a key pending deletion cannot be used; once deleted, everything encrypted with it is lost for good',
          'cancel with kms:CancelKeyDeletion (the key is then Disabled), then kms:EnableKey',
        ],
      };
    case 'PendingImport':
      return {
        summary: 'the key is PendingImport',
        details: ['its key material has not been imported; this app creates keys with KMS-generated material'],
      };
    case 'Unavailable':
      return { summary: 'the key is Unavailable', details: ['its custom key store is disconnected; reconnect the key store'] };
    default:
      return { summary: `the key is ${state}`, details: ['wait for KMS to finish the operation and run verify again'] };
  }
}

/** Maps a KMS SDK error to its likely causes. */
export function diagnoseKmsError(error: unknown, scope: RequestScope): Diagnosis {
  const name = errorName(error);
  const message = errorMessage(error);
  if (isCredentialsError(error)) {
    return {
      summary: `no usable credentials (${oneLine(error)})`,
      details: ['set AWS_PROFILE or pass --profile, or refresh the session (aws sso login)'],
    };
  }
  switch (name) {
    case 'NotFoundException':
      return { summary: `${scope.keyRef} not found in ${scope.region}: ${message}`, details: notFoundCauses(scope) };
    case 'DisabledException':
      return keyStateDiagnosis('Disabled');
    case 'KMSInvalidStateException':
      if (/pending deletion/i.test(message)) return keyStateDiagnosis('PendingDeletion');
      return {
        summary: `the key's state does not allow this request: ${message}`,
        details: ['DescribeKey shows the state (the key check)'],
      };
    case 'AccessDeniedException':
    case 'AccessDenied': {
      const ambiguous = accessDeniedIsAmbiguous(scope, message);
      return {
        summary: `AccessDenied: ${message}`,
        details: ambiguous ? [ambiguous, accessDeniedCause(message)] : [accessDeniedCause(message)],
        ambiguity: ambiguous,
      };
    }
    case 'InvalidCiphertextException':
      return {
        summary: `KMS rejected the ciphertext: ${message}`,
        details: [
          'the encryption context given to Decrypt must equal the one given to Encrypt, and the ciphertext must come from this key',
        ],
      };
    case 'IncorrectKeyException':
      return { summary: `the ciphertext was not encrypted with this key: ${message}`, details: [] };
    case 'InvalidKeyUsageException':
      return {
        summary: `the key's usage does not allow this operation: ${message}`,
        details: ['Secrets Manager needs a SYMMETRIC_DEFAULT key with usage ENCRYPT_DECRYPT'],
      };
    case 'KeyUnavailableException':
    case 'DependencyTimeoutException':
    case 'KMSInternalException':
    case 'ThrottlingException':
      return { summary: `KMS could not answer now (${oneLine(error)})`, details: ['a transient condition; run verify again'] };
    default:
      return { summary: oneLine(error), details: [] };
  }
}
