/**
 * A customer managed KMS key with its alias and a key policy built with the
 * `aws_iam_policy_document` data source, plus grant methods in the style of the AWS CDK `Key`.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import type { KmsGrant } from '@cdktf/provider-aws/lib/kms-grant';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { dependable, type ITerraformDependable, type TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { tags as tagsSchema } from '../config/fields';
import { ConfigError, parseOrThrow } from '../config/errors';
import { extraStatementSchema } from '../config/extra-statement-schema';
import { kmsGrantProblems, kmsGrantSchema, type KmsGrantSettings, type ResolvedKmsGrantSettings } from '../config/kms-grant-schema';
import { aliasAddressSuffix, keySchema, type KeySettings, type ResolvedKeySettings } from '../config/key-schema';
import { parseIamPrincipalArn } from '../policy/arn';
import { adminActions, grantableActions, SECRETS_MANAGER_KEY_ACTIONS } from '../policy/actions';
import { keyReferenceMismatches, parseKeyReference } from '../policy/key-reference';
import { secretArnConditions, viaServiceConditions } from '../policy/conditions';
import { type ExtraStatement, extraStatementProblems } from '../policy/extra-statements';
import { addGrant, KEY_POLICY_SIDS, type KeyGrant, keyPolicyStatements } from '../policy/key-policy';
import { isSymmetricEncryption } from '../policy/key-spec';
import { type PolicyDocument, renderPolicy } from '../policy/render';
import { ACCOUNT_ID_STAND_IN, keyPolicySizeProblem, policyBytes } from '../policy/size';
import { regionName } from '../policy/replica';
import type { Condition, PolicyStatement } from '../policy/statement';
import type { AwsContext } from './aws-context';
import { ExistingKey } from './existing-key';
import type { GrantOptions, KeyGrantee, SecretsKey } from './grants';
import { toPolicyDocumentStatements } from './policy-document';
import { terraformLiteral, terraformStringMap } from './terraform-values';
import { importExisting } from './imports';
import { KeyReplica } from './key-replica';
import { createKmsGrantResource } from './kms-grant';
import { fixAddress, terraformName } from './terraform-name';
import { TokenPlaceholders } from './token-placeholders';

/** Props of a CustomerManagedKey: the key settings plus where it lives. */
export interface CustomerManagedKeyProps extends KeySettings {
  /** Partition, region and account of the key, used in the policy's ARNs and conditions. */
  readonly aws: AwsContext;
  /**
   * Tags on the key (the provider's `default_tags` apply as well): at most 50, keys up to 128
   * characters, values up to 256, no `aws:` prefix.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The `aws` provider of each region in `replicaRegions` (an aliased provider configured for that
   * region). Required for every replica region.
   * @default none
   */
  readonly replicaProviders?: ReadonlyMap<string, TerraformProvider>;
}

/**
 * `aws_kms_key` + `aws_kms_alias` + `data.aws_iam_policy_document` feeding the key's `policy`.
 * Terraform addresses are fixed from the construct id: `aws_kms_key.<id>`, `aws_kms_alias.<id>`,
 * `data.aws_iam_policy_document.<id>_policy`; additional aliases `aws_kms_alias.<id>_alias_<alias>`;
 * KMS grants `aws_kms_grant.<id>_grant_<name>`; replicas `aws_kms_replica_key.<id>_<region>` (with
 * `_` for `-`), their policies `data.aws_iam_policy_document.<id>_<region>_policy` and aliases
 * `aws_kms_alias.<id>_<region>[_alias_<alias>]`.
 */
export class CustomerManagedKey extends Construct implements SecretsKey {
  /** The validated settings, every default applied. */
  readonly settings: ResolvedKeySettings;
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  readonly policyDocument: DataAwsIamPolicyDocument;
  /** The additional aliases (`additionalAliases`), in order. */
  readonly additionalAliases: readonly KmsAlias[];
  /** The replicas, by region. */
  readonly replicas: ReadonlyMap<string, KeyReplica>;
  private readonly aws: AwsContext;
  private readonly name: string;
  private keyGrants: KeyGrant[] = [];
  private readonly extraStatements: ExtraStatement[] = [];
  private readonly kmsGrantList: { readonly settings: ResolvedKmsGrantSettings; readonly resource: KmsGrant }[] = [];
  private readonly dependencies: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    const { aws, tags, replicaProviders, ...settings } = props;
    const source = `CustomerManagedKey ${this.node.path}`;
    // Terraform references (a variable's value, another resource's ARN) pass through unvalidated:
    // only Terraform knows them. Literals are validated as in the config.
    const references = new TokenPlaceholders();
    const validated = parseOrThrow(
      keySchema,
      {
        ...settings,
        alias: references.hide(settings.alias, (n) => `alias/terraform-reference-${n}`),
        administrators: settings.administrators?.map((arn) =>
          references.hide(arn, (n) => `arn:aws:iam::000000000000:role/terraform-reference-${n}`),
        ),
        users: settings.users?.map((arn) => references.hide(arn, (n) => `arn:aws:iam::000000000000:user/terraform-reference-${n}`)),
      },
      source,
    );
    this.settings = {
      ...validated,
      alias: references.restore(validated.alias),
      administrators: validated.administrators.map((arn) => references.restore(arn)),
      users: validated.users.map((arn) => references.restore(arn)),
    };
    const resourceTags = tags === undefined ? undefined : terraformStringMap(parseOrThrow(tagsSchema(), tags, source, ['tags']));
    this.aws = aws;
    const name = terraformName(id);
    this.name = name;

    this.policyDocument = fixAddress(new DataAwsIamPolicyDocument(this, 'policy'), `${name}_policy`);
    this.key = fixAddress(
      new KmsKey(this, 'key', {
        description: terraformLiteral(this.settings.description),
        customerMasterKeySpec: this.settings.keySpec,
        keyUsage: this.settings.keyUsage,
        multiRegion: this.settings.multiRegion,
        enableKeyRotation: this.settings.enableKeyRotation,
        rotationPeriodInDays: this.settings.rotationPeriodInDays,
        deletionWindowInDays: this.settings.deletionWindowInDays,
        isEnabled: this.settings.isEnabled,
        bypassPolicyLockoutSafetyCheck: false,
        policy: this.policyDocument.json,
        tags: resourceTags,
        lifecycle: { preventDestroy: this.settings.preventDestroy },
      }),
      name,
    );
    this.alias = fixAddress(new KmsAlias(this, 'alias', { name: this.settings.alias, targetKeyId: this.key.keyId }), name);
    this.additionalAliases = this.settings.additionalAliases.map((alias) =>
      fixAddress(
        new KmsAlias(this, `alias_${aliasAddressSuffix(alias)}`, { name: alias, targetKeyId: this.key.keyId }),
        `${name}_alias_${aliasAddressSuffix(alias)}`,
      ),
    );
    this.replicas = this.createReplicas(replicaProviders ?? new Map(), resourceTags, source);
    if (this.settings.importKeyId !== undefined) this.importKey(this.settings.importKeyId, source);
    for (const grant of this.settings.kmsGrants) this.createKmsGrant(grant);
    this.addExtraStatements(this.settings.additionalStatements, source);
    this.syncPolicy();
    this.node.addValidation({
      validate: () => {
        const problem = keyPolicySizeProblem(this.keyPolicyBytes());
        return problem ? [`${this.node.path}: ${problem}`] : [];
      },
    });
  }

  /**
   * The key policy's size in bytes as KMS counts it (`policy/size.ts`). An account id Terraform
   * fills in at plan time is measured as 12 digits, which every account id has; other unresolved
   * references (a grantee's ARN from another resource) are measured as their placeholder text.
   */
  keyPolicyBytes(): number {
    const primary = this.policyStatements();
    const policies = [primary, ...[...this.replicas.values()].map((replica) => replica.statements(primary))];
    return Math.max(
      ...policies.map((statements) => {
        let json = JSON.stringify(renderPolicy(statements));
        if (Token.isUnresolved(this.aws.accountId)) json = json.split(this.aws.accountId).join(ACCOUNT_ID_STAND_IN);
        return policyBytes(JSON.parse(json) as PolicyDocument);
      }),
    );
  }

  /** One replica per `replicaRegions` entry, through that region's provider. */
  private createReplicas(
    providers: ReadonlyMap<string, TerraformProvider>,
    tags: Record<string, string> | undefined,
    source: string,
  ): Map<string, KeyReplica> {
    const missing = this.settings.replicaRegions.filter((region) => !providers.has(region));
    if (missing.length > 0)
      throw new Error(`${source}: replicaRegions ${missing.join(', ')} need an aws provider each in replicaProviders`);
    if (this.settings.replicaRegions.length > 0 && !this.settings.multiRegion)
      throw new Error(`${source}: replicaRegions need multiRegion: true`);
    const aliases = [this.settings.alias, ...this.settings.additionalAliases];
    return new Map(
      this.settings.replicaRegions.map((region) => {
        const name = `${this.name}_${regionName(region)}`;
        const replica = new KeyReplica(this, `replica_${regionName(region)}`, {
          primaryKeyArn: this.key.arn,
          primaryRegion: this.aws.region,
          region,
          provider: providers.get(region)!,
          name,
          description: terraformLiteral(this.settings.description),
          deletionWindowInDays: this.settings.deletionWindowInDays,
          enabled: this.settings.isEnabled,
          preventDestroy: this.settings.preventDestroy,
          tags,
          aliases: aliases.map((alias, i) => ({ name: alias, address: i === 0 ? name : `${name}_alias_${aliasAddressSuffix(alias)}` })),
        });
        return [region, replica] as const;
      }),
    );
  }

  /**
   * Adds statements to the key policy, like the AWS CDK's `addToResourcePolicy`: checked as
   * `key.additionalStatements` is (no `kms:*` except to the account root, no service principal, `*`
   * only pinned to an account or organization, no Deny of `kms:PutKeyPolicy` to the account or an
   * administrator, Sids unique); the resource is always the key.
   */
  addToResourcePolicy(...statements: ExtraStatement[]): void {
    const source = `CustomerManagedKey ${this.node.path}: addToResourcePolicy`;
    this.addExtraStatements(
      statements.map((statement, index) => parseOrThrow(extraStatementSchema, statement, source, [index])),
      source,
    );
    this.syncPolicy();
  }

  private addExtraStatements(statements: readonly ExtraStatement[], source: string): void {
    const problems = extraStatementProblems(statements, {
      partition: this.aws.partition,
      accountId: Token.isUnresolved(this.aws.accountId) ? undefined : this.aws.accountId,
      administrators: this.settings.administrators,
      takenSids: [...Object.values(KEY_POLICY_SIDS), ...this.keyGrants.map((g) => g.sid), ...this.extraStatements.map((e) => e.sid)],
    });
    if (problems.length > 0) {
      throw new ConfigError(
        source,
        problems.map(
          (p) =>
            `additionalStatements[${p.index}]${p.path.map((f) => (typeof f === 'number' ? `[${f}]` : `.${f}`)).join('')}: ${p.message}`,
        ),
      );
    }
    this.extraStatements.push(...statements);
  }

  /** The KMS grants made so far (`kmsGrants` and `addKmsGrant`), with their resources. */
  get kmsGrants(): readonly { readonly settings: ResolvedKmsGrantSettings; readonly resource: KmsGrant }[] {
    return this.kmsGrantList;
  }

  /**
   * Adds a KMS grant (`aws_kms_grant`) on this key: temporary access that does not change the key
   * policy. Checked as `key.kmsGrants` is in the config; throws naming every problem.
   */
  addKmsGrant(grant: KmsGrantSettings): KmsGrant {
    const source = `CustomerManagedKey ${this.node.path}: addKmsGrant`;
    // A grantee or retiring principal may be a Terraform reference (another resource's ARN).
    const references = new TokenPlaceholders();
    const placeholder = (n: number): string => `arn:${this.aws.partition}:iam::000000000000:role/terraform-reference-${n}`;
    const { granteePrincipal, retiringPrincipal } = grant;
    const parsed = parseOrThrow(
      kmsGrantSchema,
      {
        ...grant,
        granteePrincipal: references.hide(granteePrincipal, placeholder),
        retiringPrincipal: retiringPrincipal === undefined ? undefined : references.hide(retiringPrincipal, placeholder),
      },
      source,
    );
    return this.createKmsGrant(
      {
        ...parsed,
        granteePrincipal: references.restore(parsed.granteePrincipal),
        retiringPrincipal: parsed.retiringPrincipal === undefined ? undefined : references.restore(parsed.retiringPrincipal),
      },
      source,
    );
  }

  private createKmsGrant(grant: ResolvedKmsGrantSettings, source = `CustomerManagedKey ${this.node.path}`): KmsGrant {
    const all = [...this.kmsGrantList.map((g) => g.settings), grant];
    const index = all.length - 1;
    const problems = kmsGrantProblems(this.settings, all).filter((p) => p.path.length === 0 || p.path[0] === index);
    for (const field of ['granteePrincipal', 'retiringPrincipal'] as const) {
      const arn = grant[field];
      if (arn !== undefined && !Token.isUnresolved(arn) && arn.split(':')[1] !== this.aws.partition) {
        problems.push({
          path: [index, field],
          message: `"${arn}" is in partition ${arn.split(':')[1]}, but the key is in ${this.aws.partition}`,
        });
      }
    }
    if (problems.length > 0)
      throw new ConfigError(
        source,
        problems.map(
          (p) =>
            `kmsGrants[${index}]${p.path
              .slice(1)
              .map((f) => `.${String(f)}`)
              .join('')}: ${p.message}`,
        ),
      );
    const resource = createKmsGrantResource(this, this.name, this.key.keyId, grant);
    this.kmsGrantList.push({ settings: grant, resource });
    return resource;
  }

  /** Adds the import blocks of an existing key (and its alias, unless `importAlias` is false). */
  private importKey(reference: string, source: string): void {
    const parsed = parseKeyReference(reference);
    if (!parsed) throw new Error(`${source}: importKeyId "${reference}" is not a KMS key id or key ARN`);
    const mismatches = keyReferenceMismatches(parsed, {
      partition: this.aws.partition,
      region: this.aws.region,
      accountId: Token.isUnresolved(this.aws.accountId) ? undefined : this.aws.accountId,
    });
    if (mismatches.length > 0) throw new Error(`${source}: importKeyId "${reference}" ${mismatches.join(' and ')}`);
    importExisting(this.key, parsed.keyId);
    if (this.settings.importAlias) importExisting(this.alias, this.settings.alias);
  }

  /** The key's ARN (known after apply). */
  get keyArn(): string {
    return this.key.arn;
  }

  /** The alias, as descriptions name the key. */
  get displayName(): string {
    return this.settings.alias;
  }

  /** The construct path. */
  get path(): string {
    return this.node.path;
  }

  /** Whether Secrets Manager can use the key: a symmetric encryption key. */
  get usableBySecretsManager(): boolean {
    return isSymmetricEncryption(this.settings.keySpec, this.settings.keyUsage);
  }

  /** `<key spec>/<key usage>`. */
  get keyKind(): string {
    return `${this.settings.keySpec}/${this.settings.keyUsage}`;
  }

  /** The regions of the key's replicas. */
  get replicaRegions(): readonly string[] {
    return [...this.replicas.keys()];
  }

  /**
   * A key made elsewhere (the console, another stack), for readers this app creates: granting writes
   * only the reader's identity-policy statement; the key's own policy must allow the reader (see
   * `ExistingKey.requiredKeyPolicyStatements`).
   */
  static fromKeyArn(scope: Construct, id: string, keyArn: string, aws: AwsContext): ExistingKey {
    return new ExistingKey(scope, id, { keyArn, aws });
  }

  /** The key's id (known after apply). */
  get keyId(): string {
    return this.key.keyId;
  }

  /** `alias/<name>`. */
  get aliasName(): string {
    return this.alias.name;
  }

  /** The alias's ARN (known after apply). */
  get aliasArn(): string {
    return this.alias.arn;
  }

  /** The grants made so far, one entry per key-policy statement. */
  get grants(): readonly KeyGrant[] {
    return this.keyGrants;
  }

  /** The key policy as model statements: exactly what the policy document receives. */
  policyStatements(): PolicyStatement[] {
    return keyPolicyStatements({
      ...this.settings,
      partition: this.aws.partition,
      accountId: this.aws.accountId,
      grants: this.keyGrants,
      extraStatements: this.extraStatements,
    });
  }

  /**
   * Allows `actions` on this key to `grantee`: a key-policy statement naming it and, when the app
   * owns the grantee, the matching identity-policy statement scoped to this key's ARN. Actions must
   * suit the key's usage (or be administration actions).
   */
  grant(grantee: KeyGrantee | string, actions: readonly string[], options: GrantOptions = {}): KeyGrant {
    const principal: KeyGrantee = typeof grantee === 'string' ? { principalArn: grantee } : grantee;
    // A literal must be an IAM principal ARN; a Terraform reference (e.g. to the caller's account) is
    // taken as it is, since only Terraform knows its value.
    if (!Token.isUnresolved(principal.principalArn) && parseIamPrincipalArn(principal.principalArn) === undefined) {
      throw new Error(
        `${this.node.path}: cannot grant to "${principal.principalArn}"; expected an IAM principal ARN (arn:<partition>:iam::<account>:root, :user/<path/>name or :role/<path/>name)`,
      );
    }
    this.checkGrantable(actions);
    if (options.sid !== undefined && !/^[A-Za-z0-9]+$/.test(options.sid)) {
      throw new Error(`${this.node.path}: sid "${options.sid}" must contain only letters and digits`);
    }
    this.checkSecretArnPatterns(options);
    const conditions = [
      ...(options.viaService ? viaServiceConditions(options.viaService, this.aws.region, this.aws.accountId) : []),
      ...(options.secretArnPatterns ? secretArnConditions(options.secretArnPatterns) : []),
    ];
    const { grants, grant } = addGrant(this.keyGrants, { principalArn: principal.principalArn, actions, conditions, sid: options.sid }, [
      ...Object.values(KEY_POLICY_SIDS),
      ...this.extraStatements.map((e) => e.sid),
    ]);
    this.keyGrants = grants;
    if (principal.addToPrincipalPolicy) this.addIdentityStatements(principal, grant);
    if (principal.dependable && !this.dependencies.includes(principal.dependable)) {
      this.dependencies.push(principal.dependable);
      this.key.dependsOn = this.dependencies.map((d) => dependable(d));
      for (const replica of this.replicas.values()) replica.dependOn(this.dependencies);
    }
    this.syncPolicy();
    return grant;
  }

  /**
   * The identity statements of a grantee this app owns: one on the key's ARN and one on each
   * replica's ARN, with the conditions moved to that replica's region.
   */
  private addIdentityStatements(principal: KeyGrantee, grant: KeyGrant): void {
    const statement = (sid: string, resource: string, conditions: readonly Condition[]): PolicyStatement => ({
      sid,
      effect: 'Allow',
      actions: grant.actions,
      resources: [resource],
      conditions: conditions.length > 0 ? conditions : undefined,
    });
    principal.addToPrincipalPolicy?.(statement(grant.sid, this.keyArn, grant.conditions));
    for (const [region, replica] of this.replicas) {
      const [moved] = replica.statements([statement(grant.sid, replica.arn, grant.conditions)]);
      principal.addToPrincipalPolicy?.({ ...moved, sid: `${grant.sid}${sidRegion(region)}` });
    }
  }

  /** kms:Decrypt. */
  grantDecrypt(grantee: KeyGrantee | string, options?: GrantOptions): KeyGrant {
    return this.grant(grantee, ['kms:Decrypt'], options);
  }

  /** kms:Encrypt. */
  grantEncrypt(grantee: KeyGrantee | string, options?: GrantOptions): KeyGrant {
    return this.grant(grantee, ['kms:Encrypt'], options);
  }

  /** kms:Encrypt and kms:Decrypt, plus kms:GenerateDataKey on symmetric keys (envelope encryption). */
  grantEncryptDecrypt(grantee: KeyGrantee | string, options?: GrantOptions): KeyGrant {
    const symmetric = isSymmetricEncryption(this.settings.keySpec, this.settings.keyUsage);
    return this.grant(grantee, ['kms:Decrypt', 'kms:Encrypt', ...(symmetric ? ['kms:GenerateDataKey'] : [])], options);
  }

  /** kms:GenerateDataKey, for envelope encryption. */
  grantGenerateDataKey(grantee: KeyGrantee | string, options?: GrantOptions): KeyGrant {
    return this.grant(grantee, ['kms:GenerateDataKey'], options);
  }

  /**
   * What Secrets Manager needs on a caller's behalf to read and write secrets encrypted with this
   * key: kms:Decrypt and kms:GenerateDataKey, only through Secrets Manager in this region and
   * account, and with `secretArnPatterns` only for those secrets (`kms:EncryptionContext:SecretARN`).
   */
  grantSecretsManagerUse(grantee: KeyGrantee | string, options: Omit<GrantOptions, 'viaService'> = {}): KeyGrant {
    return this.grant(grantee, SECRETS_MANAGER_KEY_ACTIONS, { ...options, viaService: 'secretsmanager' });
  }

  /** kms:Sign (SIGN_VERIFY keys). */
  grantSign(grantee: KeyGrantee | string, options?: GrantOptions): KeyGrant {
    return this.grant(grantee, ['kms:Sign'], options);
  }

  /** kms:Verify (SIGN_VERIFY keys). */
  grantVerify(grantee: KeyGrantee | string, options?: GrantOptions): KeyGrant {
    return this.grant(grantee, ['kms:Verify'], options);
  }

  /** kms:GenerateMac (HMAC keys). */
  grantGenerateMac(grantee: KeyGrantee | string, options?: GrantOptions): KeyGrant {
    return this.grant(grantee, ['kms:GenerateMac'], options);
  }

  /** kms:VerifyMac (HMAC keys). */
  grantVerifyMac(grantee: KeyGrantee | string, options?: GrantOptions): KeyGrant {
    return this.grant(grantee, ['kms:VerifyMac'], options);
  }

  /** The administrator actions (manage, never use), as for `administrators`. */
  grantAdmin(grantee: KeyGrantee | string, options?: GrantOptions): KeyGrant {
    return this.grant(grantee, this.adminActions(), options);
  }

  private adminActions(): string[] {
    return adminActions({
      rotatable: isSymmetricEncryption(this.settings.keySpec, this.settings.keyUsage),
      multiRegion: this.settings.multiRegion,
      canDelete: this.settings.allowAdministratorsToDeleteKey,
    });
  }

  private checkSecretArnPatterns(options: GrantOptions): void {
    const patterns = options.secretArnPatterns;
    if (patterns === undefined) return;
    if (options.viaService !== 'secretsmanager') {
      throw new Error(
        `${this.node.path}: secretArnPatterns restrict grants via Secrets Manager; use grantSecretsManagerUse or viaService "secretsmanager"`,
      );
    }
    const bad = patterns.filter(
      (p) => !Token.isUnresolved(p) && !/^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:(\d{12}|\$\{[^}]+\}|[*?]+):secret:.+$/.test(p),
    );
    if (patterns.length === 0 || bad.length > 0) {
      throw new Error(
        `${this.node.path}: secretArnPatterns ${patterns.length === 0 ? 'is empty' : `has ${bad.map((p) => JSON.stringify(p)).join(', ')}`}; expected secret ARN patterns such as arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-??????`,
      );
    }
  }

  private checkGrantable(actions: readonly string[]): void {
    const allowed = new Set([...grantableActions(this.settings.keySpec, this.settings.keyUsage), ...this.adminActions()]);
    const refused = actions.filter((action) => !allowed.has(action));
    if (actions.length === 0 || refused.length > 0) {
      throw new Error(
        `${this.node.path}: cannot grant ${refused.length > 0 ? refused.join(', ') : 'no actions'} on a ${this.settings.keySpec}/${this.settings.keyUsage} key; grantable: ${[...allowed].sort().join(', ')}`,
      );
    }
  }

  private syncPolicy(): void {
    const statements = this.policyStatements();
    this.policyDocument.putStatement(toPolicyDocumentStatements(statements));
    for (const replica of this.replicas.values()) replica.syncPolicy(statements);
  }
}

/** `us-west-2` as a Sid word: `UsWest2`. */
function sidRegion(region: string): string {
  return region
    .split('-')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
