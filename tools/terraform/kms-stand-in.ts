/**
 * A loopback stand-in for the KMS calls the AWS provider (hashicorp/aws 5.100.0) makes when it
 * imports and refreshes an existing `aws_kms_key` and `aws_kms_alias`, so that a plan with
 * `import` blocks runs offline against a key "made in the console". It speaks KMS's JSON protocol
 * (`POST /`, `X-Amz-Target: TrentService.<Action>`, `application/x-amz-json-1.1`) for one
 * configured key and its aliases, records every request (as the STS stand-in does), and answers
 * any action it does not know with a KMS-style `UnknownOperationException` naming the action, so
 * a provider that starts calling something new fails the plan loudly instead of being guessed at.
 *
 * The actions answered are the ones the provider was seen to call (see docs/terraform.md):
 * `DescribeKey`, `GetKeyPolicy`, `GetKeyRotationStatus` and `ListResourceTags` to read the key,
 * `ListAliases` to read the alias. Nothing that changes a key is answered: a plan never writes.
 */
import { z } from 'zod';
import { ExternalJsonError, parseExternalJson } from '../../config/errors';
import {
  accessKeyIdOf,
  countByAction,
  type RecordingStandIn,
  type StandInReply,
  type StandInRequest,
  startLoopbackServer,
} from './loopback-server';

/** The key the stand-in pretends exists, with the settings the console walk-through gives it. */
export interface ExistingKmsKey {
  /** The key id, a UUID (or `mrk-` and 32 hex digits for a multi-Region key). */
  readonly keyId: string;
  /** The account that owns the key. */
  readonly accountId: string;
  /** The key's region; also the region in its ARN. */
  readonly region: string;
  /**
   * The partition in the key's ARN.
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * `KeySpec`.
   * @default 'SYMMETRIC_DEFAULT'
   */
  readonly keySpec?: string;
  /**
   * `KeyUsage`.
   * @default 'ENCRYPT_DECRYPT'
   */
  readonly keyUsage?: string;
  /**
   * Whether it is a multi-Region (primary) key.
   * @default false
   */
  readonly multiRegion?: boolean;
  /** The key's description. */
  readonly description: string;
  /**
   * Whether the key is enabled (`KeyState` `Enabled`, else `Disabled`).
   * @default true
   */
  readonly enabled?: boolean;
  /** Automatic rotation: whether it is on and its period (KMS reports the period either way). */
  readonly rotation: { readonly enabled: boolean; readonly periodInDays: number };
  /** The key's tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** The key policy document, as KMS returns it from `GetKeyPolicy` (JSON text, kept verbatim). */
  readonly policy: string;
  /** The aliases that point at the key, each `alias/<name>`. */
  readonly aliases: readonly string[];
  /**
   * When the key and its aliases were created, in seconds since the epoch (KMS's JSON timestamps).
   * @default 1767225600 (2026-01-01T00:00:00Z)
   */
  readonly creationDate?: number;
}

/**
 * One request the stand-in received: its action (from `X-Amz-Target`: `TrentService.DescribeKey`
 * is `DescribeKey`), access key id, and key.
 */
export interface KmsRequest extends StandInRequest {
  /** The request's `KeyId`, when it has one (key id, key ARN, alias name or alias ARN). */
  readonly keyId: string | undefined;
}

/** A running stand-in; its endpoint is for the provider's `endpoints { kms = ... }`. */
export interface KmsStandIn extends RecordingStandIn<KmsRequest> {
  /** The key's ARN, `arn:<partition>:kms:<region>:<account>:key/<id>`. */
  readonly keyArn: string;
  /** How many requests of each action so far, e.g. `{ DescribeKey: 2 }`. */
  requestCounts(): Record<string, number>;
}

/** What the console's key policy names: the account and the Lambda role's ARN. */
export interface ConsolePolicyInput {
  /** The account whose root the first statement names. */
  readonly accountId: string;
  /** `arn:aws:iam::<account>:role/service-role/lambda-secrets-role` in the walk-through. */
  readonly lambdaRoleArn: string;
  /**
   * The partition of the account root's ARN.
   * @default 'aws'
   */
  readonly partition?: string;
}

/**
 * The key policy of the console walk-through ("Step 6: Review the Key Policy"), statement for
 * statement: the account root, the Lambda role and `secretsmanager.amazonaws.com`, each with
 * `kms:*`. Formatted as KMS returns a console policy (four-space indents), so a plan shows the text
 * a user really has.
 */
export function consoleKeyPolicy(input: ConsolePolicyInput): string {
  const document = {
    Version: '2012-10-17',
    Id: 'key-consolepolicy-3',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${input.partition ?? 'aws'}:iam::${input.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: `Allow Lambda Full Access from account ${input.accountId}`,
        Effect: 'Allow',
        Principal: { AWS: input.lambdaRoleArn },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'AllowSecretsManagerToUseKey',
        Effect: 'Allow',
        Principal: { Service: 'secretsmanager.amazonaws.com' },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
  return JSON.stringify(document, null, 4);
}

type Json = Record<string, unknown>;

/**
 * The request fields the stand-in reads: `KeyId` (key id, key ARN, alias name or alias ARN) and
 * `PolicyName`; any other field of the request is accepted as it is.
 */
const kmsRequestBodySchema = z.looseObject({ KeyId: z.string().optional(), PolicyName: z.string().optional() });

/** A request body as the stand-in reads it. */
type KmsRequestBody = z.output<typeof kmsRequestBodySchema>;

/** A KMS error as the JSON protocol carries it: the SDK reads the code from `__type`. */
class KmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The key's view of the world: which references name it, and each action's answer. */
class KeyModel {
  readonly partition: string;
  readonly arn: string;
  private readonly created: number;

  constructor(private readonly key: ExistingKmsKey) {
    this.partition = key.partition ?? 'aws';
    this.arn = `arn:${this.partition}:kms:${key.region}:${key.accountId}:key/${key.keyId}`;
    this.created = key.creationDate ?? 1_767_225_600;
  }

  private aliasArn(alias: string): string {
    return `arn:${this.partition}:kms:${this.key.region}:${this.key.accountId}:${alias}`;
  }

  /** Whether `reference` (key id, key ARN, alias name or alias ARN, as KMS accepts them) names the key. */
  private names(reference: string): boolean {
    if (reference === this.key.keyId || reference === this.arn) return true;
    return this.key.aliases.some((alias) => reference === alias || reference === this.aliasArn(alias));
  }

  /** The request's `KeyId`, which must name the key; KMS's NotFoundException otherwise. */
  private requireKey(body: KmsRequestBody): void {
    const reference = body.KeyId;
    if (typeof reference !== 'string') throw new KmsError('ValidationException', 'KeyId is required');
    if (!this.names(reference)) throw new KmsError('NotFoundException', `Key '${reference}' does not exist`);
  }

  private get keySpec(): string {
    return this.key.keySpec ?? 'SYMMETRIC_DEFAULT';
  }

  private metadata(): Json {
    const multiRegion = this.key.multiRegion ?? false;
    const usage = this.key.keyUsage ?? 'ENCRYPT_DECRYPT';
    const enabled = this.key.enabled ?? true;
    return {
      AWSAccountId: this.key.accountId,
      Arn: this.arn,
      CreationDate: this.created,
      CustomerMasterKeySpec: this.keySpec,
      Description: this.key.description,
      Enabled: enabled,
      ...(usage === 'ENCRYPT_DECRYPT' && this.keySpec === 'SYMMETRIC_DEFAULT' ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } : {}),
      KeyId: this.key.keyId,
      KeyManager: 'CUSTOMER',
      KeySpec: this.keySpec,
      KeyState: enabled ? 'Enabled' : 'Disabled',
      KeyUsage: usage,
      MultiRegion: multiRegion,
      ...(multiRegion
        ? {
            MultiRegionConfiguration: {
              MultiRegionKeyType: 'PRIMARY',
              PrimaryKey: { Arn: this.arn, Region: this.key.region },
              ReplicaKeys: [],
            },
          }
        : {}),
      Origin: 'AWS_KMS',
    };
  }

  /** The answer to `action` with request `body`; throws KmsError for KMS's errors. */
  answer(action: string | null, body: KmsRequestBody): Json {
    switch (action) {
      case 'DescribeKey':
        this.requireKey(body);
        return { KeyMetadata: this.metadata() };
      case 'GetKeyPolicy':
        this.requireKey(body);
        if ((body.PolicyName ?? 'default') !== 'default')
          throw new KmsError('NotFoundException', `No such policy: ${String(body.PolicyName)}`);
        return { Policy: this.key.policy, PolicyName: 'default' };
      case 'GetKeyRotationStatus':
        this.requireKey(body);
        // KMS rotates only symmetric encryption keys and says so for the others.
        if (this.keySpec !== 'SYMMETRIC_DEFAULT')
          throw new KmsError('UnsupportedOperationException', `${this.arn} does not support automatic key rotation`);
        return {
          KeyId: this.arn,
          KeyRotationEnabled: this.key.rotation.enabled,
          RotationPeriodInDays: this.key.rotation.periodInDays,
          ...(this.key.rotation.enabled ? { NextRotationDate: this.created + this.key.rotation.periodInDays * 86_400 } : {}),
        };
      case 'ListResourceTags':
        this.requireKey(body);
        return { Tags: Object.entries(this.key.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), Truncated: false };
      case 'ListAliases': {
        // Without KeyId, KMS lists every alias of the account and region; with one, the key's.
        if (body.KeyId !== undefined) this.requireKey(body);
        const aliases = this.key.aliases.map((alias) => ({
          AliasName: alias,
          AliasArn: this.aliasArn(alias),
          TargetKeyId: this.key.keyId,
          CreationDate: this.created,
          LastUpdatedDate: this.created,
        }));
        return { Aliases: aliases, Truncated: false };
      }
      default:
        throw new KmsError(
          'UnknownOperationException',
          `the offline KMS stand-in does not answer ${action === null ? 'a request without X-Amz-Target' : `TrentService.${action}`}`,
        );
    }
  }
}

/** A JSON-protocol answer, with the request id KMS sends in a header. */
function jsonReply(status: number, body: Json): StandInReply {
  return {
    status,
    contentType: 'application/x-amz-json-1.1',
    body: JSON.stringify(body),
    headers: { 'x-amzn-RequestId': '00000000-0000-4000-8000-0000000000a1' },
  };
}

/** Starts the stand-in for `key` on a free loopback port. */
export async function startKmsStandIn(key: ExistingKmsKey): Promise<KmsStandIn> {
  const model = new KeyModel(key);
  const requests: KmsRequest[] = [];
  const server = await startLoopbackServer((request, text) => {
    const target = request.headers['x-amz-target'];
    const action = typeof target === 'string' && target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : null;
    let body: KmsRequestBody | undefined;
    let refusal: KmsError | undefined;
    try {
      body = text ? parseExternalJson(kmsRequestBodySchema, text, `the request body of ${action ?? 'a request without X-Amz-Target'}`) : {};
    } catch (error) {
      if (!(error instanceof ExternalJsonError)) throw error;
      // KMS answers a body it cannot read with SerializationException, and a field of the wrong type with ValidationException.
      refusal = new KmsError(
        error.problems.some((p) => p.startsWith('not valid JSON')) ? 'SerializationException' : 'ValidationException',
        error.oneLine,
      );
    }
    requests.push({ action, keyId: body?.KeyId, accessKeyId: accessKeyIdOf(request) });
    try {
      if (refusal) throw refusal;
      return jsonReply(200, model.answer(action, body ?? {}));
    } catch (error) {
      if (!(error instanceof KmsError)) throw error;
      return jsonReply(400, { __type: error.code, message: error.message });
    }
  });
  return { ...server, keyArn: model.arn, requests, requestCounts: () => countByAction(requests) };
}
