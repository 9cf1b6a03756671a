/**
 * A cdktf app of its own that uses the constructs from the installed package:
 * - a key whose alias comes from a Terraform variable and whose administrator is a role looked up by
 *   a data source (Terraform references, resolved at plan);
 * - a secret encrypted with it and a Lambda role bound to that secret;
 * - a key-policy grant to a batch job (via Secrets Manager, for that secret only), a KMS grant and an
 *   extra key-policy statement;
 * - a second Lambda role given use of a key made elsewhere (`CustomerManagedKey.fromKeyArn`), with
 *   the statement that key's own policy must contain as an output.
 */
import { DataAwsIamRole } from '@cdktf/provider-aws/lib/data-aws-iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { CustomerManagedKey, LambdaSecretsRole, SecretsManagerSecret } from 'cdktf-kms-secrets';
import { renderPolicy, secretArnForName } from 'cdktf-kms-secrets/policy';

const aws = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };

class PaymentsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: aws.region, allowedAccountIds: [aws.accountId] });
    new LocalBackend(this, { path: 'terraform.payments.tfstate' });

    // A token alias must hold the full name, `alias/...`: the provider refuses anything else at plan.
    const alias = new TerraformVariable(this, 'key_alias', { type: 'string', default: 'alias/payments-secrets' });
    const admins = new DataAwsIamRole(this, 'key_admins', { name: 'KeyAdmins' });

    const key = new CustomerManagedKey(this, 'payments_key', { alias: alias.stringValue, administrators: [admins.arn], aws });
    const db = new SecretsManagerSecret(this, 'payments_db', { name: 'payments/db', key, aws });
    new LambdaSecretsRole(this, 'payments_reader', { name: 'payments-reader', secretNames: ['payments/db'], key, aws });

    // A role made elsewhere reads the same secret through Secrets Manager: a key-policy statement.
    key.grantSecretsManagerUse('arn:aws:iam::111122223333:role/batch-job', { secretArnPatterns: [db.arnPattern] });
    // Temporary access without changing the key policy: a KMS grant.
    key.addKmsGrant({ name: 'nightly-report', granteePrincipal: 'arn:aws:iam::111122223333:role/reporting', operations: ['DescribeKey'] });
    // An extra statement, held to the same rules as the built-in ones.
    key.addToResourcePolicy({
      sid: 'AuditorsDescribe',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/Auditors'] }],
      actions: ['kms:DescribeKey', 'kms:GetKeyPolicy'],
    });

    // A key another team made: this app writes only the reader's side...
    const shared = CustomerManagedKey.fromKeyArn(
      this,
      'shared_key',
      'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      aws,
    );
    new LambdaSecretsRole(this, 'reports_reader', {
      name: 'reports-reader',
      secretArns: [secretArnForName(aws.partition, aws.region, aws.accountId, 'reports/api')],
      key: shared,
      aws,
    });
    // ...and says what that key's own policy must then allow.
    new TerraformOutput(this, 'shared_key_policy_statements', {
      value: JSON.stringify(renderPolicy(shared.requiredKeyPolicyStatements()).Statement),
    });
  }
}

const app = new App();
new PaymentsStack(app, 'payments');
app.synth();
