/**
 * KMS grants, multi-Region replicas and additional aliases, as the constructs synthesize them:
 * resources, fixed addresses, replica policies naming their own region, and the outputs.
 */
import { KmsGrant } from '@cdktf/provider-aws/lib/kms-grant';
import { KmsReplicaKey } from '@cdktf/provider-aws/lib/kms-replica-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app/build-app';
import { outputLayout } from '../../app/project';
import { parseConfig } from '../../config';
import { CustomerManagedKey, LambdaSecretsRole } from '../../constructs';
import { AWS, newStack, synthObject } from './helpers';

const ROLE = 'arn:aws:iam::111122223333:role/batch';

describe('KMS grants', () => {
  test('addKmsGrant: an aws_kms_grant on the key, at aws_kms_grant.<key>_grant_<name>', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    key.addKmsGrant({
      name: 'batch:nightly',
      granteePrincipal: ROLE,
      operations: ['Decrypt'],
      encryptionContextSubset: { Department: '10' },
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(KmsGrant, {
      name: 'batch:nightly',
      key_id: '${aws_kms_key.key.key_id}',
      grantee_principal: ROLE,
      operations: ['Decrypt'],
      constraints: [{ encryption_context_subset: { Department: '10' } }],
    });
    expect(Object.keys(synthObject(stack).resource.aws_kms_grant)).toEqual(['key_grant_batch_nightly']);
  });

  test('addKmsGrant checks like the config: CreateGrant, an administrator, a name used twice', () => {
    const key = new CustomerManagedKey(newStack(), 'key', {
      alias: 'app',
      administrators: ['arn:aws:iam::111122223333:role/admin'],
      aws: AWS,
    });
    expect(() => key.addKmsGrant({ name: 'g', granteePrincipal: ROLE, operations: ['CreateGrant'] })).toThrow('includes "CreateGrant"');
    expect(() => key.addKmsGrant({ name: 'g', granteePrincipal: 'arn:aws:iam::111122223333:role/admin', operations: ['Decrypt'] })).toThrow(
      'kmsGrants[0].granteePrincipal: "arn:aws:iam::111122223333:role/admin" is a key administrator',
    );
    key.addKmsGrant({ name: 'g', granteePrincipal: ROLE, operations: ['Decrypt'] });
    expect(() => key.addKmsGrant({ name: 'g', granteePrincipal: ROLE, operations: ['Encrypt'] })).toThrow(
      'kmsGrants[1].name: "g" is used twice; grant names are unique per key',
    );
  });

  test('constraint values are literal text for Terraform, and a __proto__ key is kept', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    key.addKmsGrant({
      name: 'a',
      granteePrincipal: ROLE,
      operations: ['Decrypt'],
      encryptionContextEquals: { Purpose: 'costs ${x} %{y}' },
    });
    key.addKmsGrant({
      name: 'b',
      granteePrincipal: ROLE,
      operations: ['Decrypt'],
      encryptionContextEquals: JSON.parse('{"__proto__":"p"}'),
    });
    const grants = synthObject(stack).resource.aws_kms_grant;
    expect(grants.key_grant_a.constraints).toEqual([{ encryption_context_equals: { Purpose: 'costs $${x} %%{y}' } }]);
    expect(grants.key_grant_b.constraints).toEqual([{ encryption_context_equals: '${tomap({"__proto__" = "p"})}' }]);
  });
});

describe('multi-Region replicas', () => {
  function replicaStack() {
    const stack = newStack();
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const west = new AwsProvider(stack, 'aws_us_west_2', { alias: 'us_west_2', region: 'us-west-2' });
    const key = new CustomerManagedKey(stack, 'key', {
      alias: 'app',
      additionalAliases: ['legacy'],
      multiRegion: true,
      replicaRegions: ['us-west-2'],
      deletionWindowInDays: 14,
      aws: AWS,
      replicaProviders: new Map([['us-west-2', west]]),
    });
    const role = new LambdaSecretsRole(stack, 'reader', { name: 'reader', secretNames: ['app/db'], key, aws: AWS });
    return { stack, key, role };
  }

  test('an aws_kms_replica_key through the region’s provider, with the primary’s settings and prevent_destroy', () => {
    const { stack } = replicaStack();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(KmsReplicaKey, {
      provider: 'aws.us_west_2',
      primary_key_arn: '${aws_kms_key.key.arn}',
      deletion_window_in_days: 14,
      policy: '${data.aws_iam_policy_document.key_us_west_2_policy.json}',
      lifecycle: { prevent_destroy: true },
      depends_on: ['aws_iam_role.reader'],
    });
  });

  test('the same aliases in the replica’s region, at fixed addresses', () => {
    const aliases = synthObject(replicaStack().stack).resource.aws_kms_alias;
    expect(Object.keys(aliases).sort()).toEqual(['key', 'key_alias_legacy', 'key_us_west_2', 'key_us_west_2_alias_legacy']);
    expect(aliases.key_us_west_2_alias_legacy).toMatchObject({
      provider: 'aws.us_west_2',
      name: 'alias/legacy',
      target_key_id: '${aws_kms_replica_key.key_us_west_2.key_id}',
    });
  });

  test('the replica’s policy names its own region in kms:ViaService and the SecretARN patterns', () => {
    const json = synthObject(replicaStack().stack);
    const grant = json.data.aws_iam_policy_document.key_us_west_2_policy.statement.find((s) => s.sid === 'GrantReaderViaSecretsmanager');
    expect(grant?.condition).toEqual([
      { test: 'StringEquals', variable: 'kms:CallerAccount', values: ['111122223333'] },
      { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-west-2.amazonaws.com'] },
      {
        test: 'StringLike',
        variable: 'kms:EncryptionContext:SecretARN',
        values: ['arn:aws:secretsmanager:us-west-2:111122223333:secret:app/db-??????'],
      },
    ]);
  });

  test('the Lambda role may use the replica only via Secrets Manager in its region, for the replica secrets', () => {
    const { role, stack } = replicaStack();
    const synthesized = synthObject(stack).data.aws_iam_policy_document.reader_permissions.statement;
    expect(synthesized.find((s) => s.sid === 'GrantReaderViaSecretsmanagerUsWest2')?.resources).toEqual([
      '${aws_kms_replica_key.key_us_west_2.arn}',
    ]);
    const replicaStatement = role.identityStatements().find((s) => s.sid === 'GrantReaderViaSecretsmanagerUsWest2');
    expect({ ...replicaStatement, resources: undefined }).toEqual({
      sid: 'GrantReaderViaSecretsmanagerUsWest2',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: undefined,
      conditions: [
        { test: 'StringEquals', variable: 'kms:CallerAccount', values: ['111122223333'] },
        { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-west-2.amazonaws.com'] },
        {
          test: 'StringLike',
          variable: 'kms:EncryptionContext:SecretARN',
          values: ['arn:aws:secretsmanager:us-west-2:111122223333:secret:app/db-??????'],
        },
      ],
    });
    expect(role.identityStatements()[0].resources).toEqual([
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-??????',
      'arn:aws:secretsmanager:us-west-2:111122223333:secret:app/db-??????',
    ]);
  });

  test('a replica region without a provider is refused', () => {
    expect(
      () => new CustomerManagedKey(newStack(), 'key', { alias: 'app', multiRegion: true, replicaRegions: ['us-west-2'], aws: AWS }),
    ).toThrow('replicaRegions us-west-2 need an aws provider each in replicaProviders');
  });
});

describe('an environment with grants, replicas and aliases', () => {
  const config = parseConfig({
    environments: {
      app: {
        region: 'eu-west-1',
        accountId: '111122223333',
        key: {
          alias: 'app',
          description: 'Rotated yearly; ${not a reference}',
          multiRegion: true,
          replicaRegions: ['us-west-2', 'eu-central-1'],
          additionalAliases: ['legacy'],
          kmsGrants: [{ name: 'batch', granteePrincipal: ROLE, operations: ['Decrypt'] }],
        },
      },
    },
  });
  const root = mkdtempSync(join(tmpdir(), 'kms-replicas-'));
  const [stack] = buildApp(config, { layout: outputLayout(root, join(root, 'cdktf.out')) }).stacks;
  const json = JSON.parse(Testing.synth(stack));

  test('one aliased provider per replica region, with the same account pin', () => {
    expect(json.provider.aws).toEqual([
      { region: 'eu-west-1', allowed_account_ids: ['111122223333'] },
      { alias: 'us_west_2', region: 'us-west-2', allowed_account_ids: ['111122223333'] },
      { alias: 'eu_central_1', region: 'eu-central-1', allowed_account_ids: ['111122223333'] },
    ]);
  });

  test('outputs: replica_key_arns by region, kms_grant_ids by name, alias_names', () => {
    expect(json.output.replica_key_arns.value).toBe(
      '${tomap({"us-west-2" = aws_kms_replica_key.key_us_west_2.arn, "eu-central-1" = aws_kms_replica_key.key_eu_central_1.arn})}',
    );
    expect(json.output.kms_grant_ids.value).toBe('${tomap({"batch" = aws_kms_grant.key_grant_batch.grant_id})}');
    expect(json.output.alias_names.value).toEqual(['alias/app', 'alias/legacy']);
  });

  test('a description is literal text for Terraform, on the key and its replicas', () => {
    expect(json.resource.aws_kms_key.key.description).toBe('Rotated yearly; $${not a reference}');
    expect(json.resource.aws_kms_replica_key.key_us_west_2.description).toBe('Rotated yearly; $${not a reference}');
  });
});
