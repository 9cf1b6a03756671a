/**
 * Conditions on the encryption context, decided by the report for a concrete context (the
 * evaluator drops `kms:EncryptionContext:*` request keys): each operator on its own, whole
 * documents, and cells evaluated through the evaluator with the decided documents.
 */
import { forEncryptionContext } from '../../tools/access-report/encryption-context';
import { encryptionContextConditionHolds as holds } from '../../tools/access-report/encryption-context-condition';
import { evaluateCell } from '../../tools/access-report/evaluate';
import { policyOf, US_EAST_1_PLACEHOLDERS } from './helpers';
import { exampleSecretArn, secretsManagerEncryptionContext } from '../../tools/access-report/secret-cells';
import { secretsManagerGrantees } from '../../tools/access-report/secrets-manager-grantees';
import { EvaluationError } from '../../tools/access-report/simulate';
import type { PrincipalRow } from '../../tools/access-report/types';
import type { PolicyDocument } from '../../policy/render';

const ACCOUNT = '111122223333';
const SECRETS = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:`;
const OWN = `${SECRETS}app/db-AbC123`;
const OTHER = `${SECRETS}other/db-AbC123`;
const KEY = 'kms:EncryptionContext:SecretARN';
const own = secretsManagerEncryptionContext(OWN);
const other = secretsManagerEncryptionContext(OTHER);
const viaSecretsManager = { StringEquals: { 'kms:ViaService': ['secretsmanager.us-east-1.amazonaws.com'] } };

describe('one condition against a concrete encryption context', () => {
  it('StringEquals and StringLike: the matching ARN holds, a wrong ARN does not', () => {
    expect(holds('StringEquals', KEY, [OWN], own)).toBe(true);
    expect(holds('StringEquals', KEY, [OWN], other)).toBe(false);
    expect(holds('StringLike', KEY, `${SECRETS}app/db-??????`, own)).toBe(true);
    expect(holds('StringLike', KEY, `${SECRETS}app/db-??????`, other)).toBe(false);
  });

  it('several values: a positive operator needs one to match, a negated one needs none to', () => {
    expect(holds('StringLike', KEY, [`${SECRETS}x/*`, `${SECRETS}app/*`], own)).toBe(true);
    expect(holds('StringNotLike', KEY, [`${SECRETS}x/*`, `${SECRETS}app/*`], own)).toBe(false);
    expect(holds('StringNotLike', KEY, [`${SECRETS}x/*`], own)).toBe(true);
    expect(holds('StringNotEquals', KEY, [OTHER], own)).toBe(true);
  });

  it('StringLike wildcards: * any run of characters (slashes and colons too), ? exactly one', () => {
    expect(holds('StringLike', KEY, `${SECRETS}*`, own)).toBe(true);
    expect(holds('StringLike', KEY, 'arn:aws:secretsmanager:*:*:secret:app/*', own)).toBe(true);
    expect(holds('StringLike', KEY, `${SECRETS}app/db-?????`, own)).toBe(false);
    expect(holds('StringLike', KEY, `${SECRETS}app/db-???????`, own)).toBe(false);
    // Everything else is literal: a dot is not "any character".
    expect(holds('StringLike', KEY, `${SECRETS}app.db-??????`, secretsManagerEncryptionContext(`${SECRETS}app/db-AbC123`))).toBe(false);
    // StringEquals takes * literally.
    expect(holds('StringEquals', KEY, `${SECRETS}*`, own)).toBe(false);
  });

  it('compares the condition key without case, the value with case (unless IgnoreCase)', () => {
    expect(holds('StringEquals', 'KMS:encryptioncontext:secretarn', OWN, own)).toBe(true);
    expect(holds('StringEquals', 'kms:EncryptionContext:SECRETARN', OWN, own)).toBe(true);
    expect(holds('StringEquals', KEY, OWN.toUpperCase(), own)).toBe(false);
    expect(holds('StringLike', KEY, `${SECRETS}APP/*`, own)).toBe(false);
    expect(holds('StringEqualsIgnoreCase', KEY, OWN.toUpperCase(), own)).toBe(true);
  });

  it('a missing key fails a positive operator, satisfies a negated one, and satisfies anything with IfExists', () => {
    const empty = {};
    expect(holds('StringEquals', KEY, OWN, empty)).toBe(false);
    expect(holds('StringLike', KEY, '*', empty)).toBe(false);
    expect(holds('StringNotEquals', KEY, OWN, empty)).toBe(true);
    expect(holds('StringEqualsIfExists', KEY, OWN, empty)).toBe(true);
    expect(holds('StringLikeIfExists', KEY, `${SECRETS}app/*`, own)).toBe(true);
    expect(holds('StringLikeIfExists', KEY, `${SECRETS}app/*`, other)).toBe(false);
    expect(holds('Null', KEY, 'true', empty)).toBe(true);
    expect(holds('Null', KEY, 'false', own)).toBe(true);
    expect(holds('Null', KEY, 'true', own)).toBe(false);
  });

  it('ForAnyValue and ForAllValues, on kms:EncryptionContextKeys (several values) and on one key', () => {
    const keys = 'kms:EncryptionContextKeys';
    expect(holds('ForAllValues:StringEquals', keys, ['SecretARN', 'SecretVersionId'], own)).toBe(true);
    expect(holds('ForAllValues:StringEquals', keys, ['SecretARN'], own)).toBe(false);
    expect(holds('ForAnyValue:StringEquals', keys, ['SecretARN'], own)).toBe(true);
    // Key names in kms:EncryptionContextKeys are compared with case.
    expect(holds('ForAnyValue:StringEquals', keys, ['secretarn'], own)).toBe(false);
    expect(holds('ForAllValues:StringEquals', keys, ['SecretARN'], {})).toBe(true);
    expect(holds('ForAnyValue:StringEquals', keys, ['SecretARN'], {})).toBe(false);
    expect(holds('ForAnyValue:StringLike', KEY, `${SECRETS}app/*`, own)).toBe(true);
    expect(holds('ForAnyValue:StringLike', KEY, `${SECRETS}app/*`, {})).toBe(false);
  });

  it('refuses what it does not evaluate, naming the operator and what is supported', () => {
    expect(() => holds('ArnLike', KEY, OWN, own)).toThrow(EvaluationError);
    expect(() => holds('ArnLike', KEY, OWN, own)).toThrow(
      /^the condition ArnLike on kms:EncryptionContext:SecretARN cannot be evaluated by the report; the report evaluates StringEquals, .*StringNotLike \(each also with IfExists and ForAnyValue:\/ForAllValues:\), and Null$/,
    );
    expect(() => holds('stringequals', KEY, OWN, own)).toThrow(/stringequals .* cannot be evaluated/);
    expect(() => holds('constructor', KEY, OWN, own)).toThrow(/constructor .* cannot be evaluated/);
    expect(() => holds('StringLike', KEY, `${SECRETS}\${aws:username}/*`, own)).toThrow(/uses a policy variable/);
    expect(() => holds('StringEquals', 'kms:EncryptionContextKeys', 'SecretARN', own)).toThrow(
      /several values without ForAnyValue: or ForAllValues:/,
    );
    expect(() => holds('Null', KEY, 'maybe', own)).toThrow(/Null takes "true"/);
    expect(() => holds('StringEquals', 'kms:ViaService', 'x', own)).toThrow(/not an encryption-context condition key/);
    expect(() => holds('StringEquals', KEY, OWN, { SecretARN: OWN, secretarn: OTHER })).toThrow(/cannot tell apart/);
  });
});

const policy = policyOf;

describe('a document decided for a concrete encryption context', () => {
  const doc = policy(
    {
      Sid: 'Own',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: ['*'],
      Condition: { StringLike: { [KEY]: [`${SECRETS}app/*`] }, StringEquals: { 'kms:CallerAccount': [ACCOUNT] } },
    },
    {
      Sid: 'NotOther',
      Effect: 'Deny',
      Action: ['kms:Decrypt'],
      Resource: ['*'],
      Condition: { StringLike: { [KEY]: [`${SECRETS}other/*`] } },
    },
    { Effect: 'Allow', Action: ['kms:DescribeKey'], Resource: ['*'] },
  );

  it('keeps statements whose conditions hold without them, drops the others (Allow or Deny alike) and says why', () => {
    expect(forEncryptionContext(doc, own)).toEqual({
      document: policy(
        {
          Sid: 'Own',
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: ['*'],
          Condition: { StringEquals: { 'kms:CallerAccount': [ACCOUNT] } },
        },
        doc.Statement[2],
      ),
      originalIndex: [1, 3],
      unmet: [{ originalIndex: 2, label: 'NotOther', reason: `StringLike ${KEY} ${SECRETS}other/* does not hold for SecretARN ${OWN}` }],
    });
    const forOther = forEncryptionContext(doc, other);
    expect(forOther.document.Statement.map((s) => s.Sid)).toEqual(['NotOther', undefined]);
    expect(forOther.document.Statement[0].Condition).toBeUndefined();
    expect(forOther.unmet.map((u) => u.label)).toEqual(['Own']);
  });

  it('names the statement when it refuses a condition', () => {
    const bad = policy({ Sid: 'Odd', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['*'], Condition: { ArnLike: { [KEY]: [OWN] } } });
    expect(() => forEncryptionContext(bad, own)).toThrow(
      /^Odd: the condition ArnLike on kms:EncryptionContext:SecretARN cannot be evaluated/,
    );
  });
});

describe('cells with an encryption context, through the evaluator', () => {
  const placeholders = US_EAST_1_PLACEHOLDERS;
  const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;
  const reader: PrincipalRow = { label: 'role reader', kind: 'app-role', arn: READER, accountId: ACCOUNT, identityPolicies: [] };
  const cell = (keyPolicy: PolicyDocument, context: Record<string, string> | undefined) =>
    evaluateCell({ keyPolicy, rows: [reader], placeholders }, reader, 'kms:Decrypt', 'via-secretsmanager', context);

  const bound = policy({
    Sid: 'ReadOwn',
    Effect: 'Allow',
    Principal: { AWS: [READER] },
    Action: ['kms:Decrypt'],
    Resource: ['*'],
    Condition: { ...viaSecretsManager, StringLike: { [KEY]: [`${SECRETS}app/db-??????`] } },
  });

  it('are exact: the own secret is allowed, a wrong ARN denied, where the matrix can only say Conditional', async () => {
    await expect(cell(bound, own)).resolves.toMatchObject({ decision: 'Allowed', why: 'key policy ReadOwn', encryptionContext: own });
    const wrong = await cell(bound, other);
    expect(wrong).toMatchObject({ decision: 'Denied', grantPath: 'none' });
    expect(wrong.why).toBe(
      `not for this encryption context: key policy ReadOwn would allow it, but StringLike ${KEY} ${SECRETS}app/db-?????? does not hold for SecretARN ${OTHER}`,
    );
    await expect(cell(bound, undefined)).resolves.toMatchObject({ decision: 'Conditional' });
  });

  it('apply a Deny whose conditions hold, and not one whose conditions fail', async () => {
    const withDeny = policy(
      { Sid: 'Use', Effect: 'Allow', Principal: { AWS: [READER] }, Action: ['kms:Decrypt'], Resource: ['*'] },
      {
        Sid: 'NotOther',
        Effect: 'Deny',
        Principal: { AWS: [READER] },
        Action: ['kms:Decrypt'],
        Resource: ['*'],
        Condition: { StringLike: { [KEY]: [`${SECRETS}other/*`] } },
      },
    );
    await expect(cell(withDeny, own)).resolves.toMatchObject({ decision: 'Allowed', why: 'key policy Use' });
    await expect(cell(withDeny, other)).resolves.toMatchObject({ decision: 'Denied', why: 'explicitly denied by key policy NotOther' });
  });

  it('ignore pairs no condition tests, and send none to the evaluator (which would refuse them as ignored)', async () => {
    // simulate() throws on any ignored context key, so an answer proves no kms:EncryptionContext key was sent.
    await expect(cell(bound, { ...own, Extra: 'x' })).resolves.toMatchObject({ decision: 'Allowed' });
  });
});

describe('helpers of the cells by secret', () => {
  it('build a concrete secret ARN from a pattern, as Secrets Manager would name one', () => {
    expect(exampleSecretArn(`${SECRETS}app/db-??????`)).toBe(`${SECRETS}app/db-AbC123`);
    expect(exampleSecretArn(`${SECRETS}tutorial/*`)).toBe(`${SECRETS}tutorial/access-report-example-AbC123`);
    expect(exampleSecretArn(OWN)).toBe(OWN);
  });

  it('find the principals the key policy lets use the key via Secrets Manager, with their SecretARN patterns', () => {
    const keyPolicy = policy(
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`] }, Action: ['kms:*'], Resource: ['*'] },
      {
        Sid: 'Users',
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:user/alice`] },
        Action: ['kms:Decrypt'],
        Resource: ['*'],
      },
      {
        Sid: 'Bound',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:role/a'] },
        Action: ['kms:Decrypt'],
        Resource: ['*'],
        Condition: { ...viaSecretsManager, StringLike: { [KEY]: [`${SECRETS}a/*`] } },
      },
      {
        Sid: 'Unbound',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:role/b' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: viaSecretsManager,
      },
      {
        Sid: 'OtherRegion',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:role/c'] },
        Action: ['kms:Decrypt'],
        Resource: ['*'],
        Condition: { StringEquals: { 'kms:ViaService': ['secretsmanager.eu-west-1.amazonaws.com'] } },
      },
    );
    expect(secretsManagerGrantees(keyPolicy, 'us-east-1')).toEqual([
      { arn: 'arn:aws:iam::111122223333:role/a', statements: ['Bound'], secretArnPatterns: [`${SECRETS}a/*`] },
      { arn: 'arn:aws:iam::111122223333:role/b', statements: ['Unbound'], secretArnPatterns: [] },
    ]);
  });
});
