/**
 * Shared fixtures for the verify tests: a config with a key user, an administrator and a Lambda
 * role; its synthesized stack; SDK clients wrapped by aws-sdk-client-mock; and errors in the shapes
 * the SDK produces for AWS's answers (messages as AWS writes them).
 */
import { IAMClient, IAMServiceException } from '@aws-sdk/client-iam';
import { type KeyMetadata, KMSClient, KMSServiceException } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { parseConfig } from '../../config/load';
import type { AppConfig, EnvironmentConfig } from '../../config/schema';
import { renderKeyPolicy, renderLambdaRoleSecretArnPatterns, synthesizeStack } from '../../tools/verify/expected-policy';
import type { SynthesizedStack } from '../../tools/lib/synthesized';
import type { Caller, KeyLookup, VerifyContext } from '../../tools/verify/types';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
export const ALIAS = 'alias/secrets-manager-encryption-key';
export const USER_ROLE = `arn:aws:iam::${ACCOUNT}:role/KeyUser`;
export const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;
export const LAMBDA_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/lambda-secrets-role`;
/** The Lambda role's secrets: the config gives neither names nor a prefix, so the prefix is `<environment>/`. */
export const LAMBDA_SECRETS = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:tutorial/*`;

/** Callers as STS reports assumed-role sessions. */
export const KEY_USER: Caller = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/KeyUser/alice`, accountId: ACCOUNT };
export const KEY_ADMIN: Caller = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/KeyAdmin/bob`, accountId: ACCOUNT };
export const AUDITOR: Caller = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Auditor/carol`, accountId: ACCOUNT };

/** The raw config object: one environment; `accountId` left out so the account comes from the key. */
export function rawConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    environments: {
      tutorial: {
        region: REGION,
        key: {
          alias: 'secrets-manager-encryption-key',
          description: 'Customer managed key for encrypting secrets in the VPC tutorial series',
          administrators: [ADMIN_ROLE],
          users: [USER_ROLE],
        },
        lambdaRole: { name: 'lambda-secrets-role', path: '/service-role/' },
        ...overrides,
      },
    },
  };
}

/** The validated config. */
export function config(overrides: Record<string, unknown> = {}): AppConfig {
  return parseConfig(rawConfig(overrides), 'test config');
}

/** The one environment of `config()`. */
export function environment(overrides: Record<string, unknown> = {}): EnvironmentConfig {
  return config(overrides).environments[0];
}

let stackCache: SynthesizedStack | undefined;
/** The default environment's synthesized stack (synthesized once per test file). */
export function stack(): SynthesizedStack {
  stackCache ??= synthesizeStack(config(), 'tutorial');
  return stackCache;
}

/** DescribeKey's metadata of a key created from `config()`. */
export function metadata(overrides: Partial<KeyMetadata> = {}): KeyMetadata {
  return {
    AWSAccountId: ACCOUNT,
    KeyId: KEY_ID,
    Arn: KEY_ARN,
    CreationDate: new Date('2026-11-01T10:00:00Z'),
    Enabled: true,
    Description: 'Customer managed key for encrypting secrets in the VPC tutorial series',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...overrides,
  };
}

/** A context for one check, with the key described, the expected policy rendered and the role's secret ARN patterns read. */
export function context(overrides: Partial<VerifyContext> = {}): VerifyContext {
  const key: KeyLookup = { kind: 'described', metadata: metadata(), keyArn: KEY_ARN, accountId: ACCOUNT };
  return {
    environment: environment(),
    region: REGION,
    caller: KEY_ADMIN,
    key,
    expectedPolicy: renderKeyPolicy(stack(), ACCOUNT, KEY_ARN),
    expectedSecretArnPatterns: renderLambdaRoleSecretArnPatterns(stack(), 'lambda-secrets-role', ACCOUNT),
    ...overrides,
  };
}

/** AWS's documented example credentials: the mocked clients never send a request. */
export const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** Real clients (never reaching AWS: every command is mocked) and their mocks. */
export function mockedClients() {
  const kms = new KMSClient({ region: REGION, credentials });
  const iam = new IAMClient({ region: REGION, credentials });
  const sts = new STSClient({ region: REGION, credentials });
  return { clients: { kms, iam, sts }, kms: mockClient(kms), iam: mockClient(iam), sts: mockClient(sts) };
}

/**
 * KMS's AccessDeniedException: KMS returns it, but the SDK's model has no class for it, so it
 * arrives as a KMSServiceException named `AccessDeniedException` (HTTP 400).
 */
export function kmsAccessDenied(
  action: string,
  caller: Caller,
  resource = KEY_ARN,
  because = `because no resource-based policy allows the ${action} action`,
): KMSServiceException {
  return kmsError(
    'AccessDeniedException',
    `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${because}`,
  );
}

/** A KMS error the SDK does not model, as it arrives: a KMSServiceException carrying the error code as its name. */
export function kmsError(name: string, message: string): KMSServiceException {
  return new KMSServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}

/** IAM's AccessDenied (HTTP 403), also unmodeled in the SDK. */
export function iamAccessDenied(action: string, caller: Caller, resource: string): IAMServiceException {
  return new IAMServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  });
}
