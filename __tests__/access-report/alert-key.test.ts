/**
 * The key made only for alerts (`audit` without `snsTopicArn`): its matrix, written by hand from
 * intent, its statements, and the edits of the synthesized JSON that widen it and fail the report.
 */
import type { JsonReport } from '../../tools/access-report/format-json';
import { lint } from '../../tools/access-report/lint';
import { placeholdersFor } from '../../tools/access-report/placeholders';
import { renderEnvironment } from '../../tools/access-report/rendered-policies';
import type { EnvironmentReport } from '../../tools/access-report/report';
import { runAccessReport } from '../../tools/access-report/run';
import type { SynthesizedStack } from '../../tools/lib/synthesized';
import { copy, fixture, report, single, writeOutdir } from './helpers';

const FIXTURE = 'access-alerts.json';
const ACCOUNT = '123456789012';
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;

/** The eight actions of the alert key's matrix, by hand. */
const ACTIONS = [
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'kms:Encrypt',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
];

/** Allowed actions per row (a direct call); every other cell Denied. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  // Administrators manage the alert key as they manage the secrets key: no cryptography, no grants.
  'administrator KeyAdmin': ['kms:DescribeKey', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'],
  // EventBridge publishes to the encrypted topic: the two actions SNS needs of a publisher, nothing else.
  'service events.amazonaws.com': ['kms:Decrypt', 'kms:GenerateDataKey'],
  'role prod-secrets-reader': [],
  'unnamed role': [],
  // The account-root statement delegates to IAM, as on the secrets key.
  'unnamed role + IAM kms:*': ACTIONS,
  'other account + IAM kms:*': [],
  anonymous: [],
};

function alertDecisions(result: EnvironmentReport): Record<string, string> {
  return Object.fromEntries((result.alertKey?.cells ?? []).map((c) => [`${c.principal}|${c.action}|${c.context}`, c.decision]));
}

function expectedAlertDecisions(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(EXPECTED).flatMap(([row, allowed]) =>
      ACTIONS.map((action) => [`${row}|${action}|direct`, allowed.includes(action) ? 'Allowed' : 'Denied']),
    ),
  );
}

type Statement = {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
};

function alertStatements(stack: SynthesizedStack, block = 'alert_key_policy'): Statement[] {
  return stack.data!.aws_iam_policy_document![block].statement as unknown as Statement[];
}

function alertStatement(stack: SynthesizedStack, sid: string, block = 'alert_key_policy'): Statement {
  const statement = alertStatements(stack, block).find((s) => s.sid === sid);
  if (!statement) throw new Error(`no ${sid} in ${block}`);
  return statement;
}

async function cli(argv: string[], stack?: SynthesizedStack) {
  const out: string[] = [];
  const output = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
  const env = { KMS_CONFIG: fixture(FIXTURE) };
  if (stack === undefined) return { code: await runAccessReport(argv, env, output), out: out.join('\n') };
  const { dir, cleanup } = writeOutdir(new Map([['prod', stack]]));
  try {
    return { code: await runAccessReport(['--outdir', dir, ...argv], env, output), out: out.join('\n') };
  } finally {
    cleanup();
  }
}

describe('the key made only for alerts (access-alerts.json)', () => {
  it('matches the hand-written matrix cell by cell: administrators manage, EventBridge only publishes', async () => {
    const { environment, stack } = single(FIXTURE);
    const result = await report(environment, stack);
    expect(result.alertKey).toMatchObject({
      address: 'aws_kms_key.alert_key',
      region: 'eu-west-1',
      keyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`,
      policySource: 'data.aws_iam_policy_document.alert_key_policy',
      replicaAlertKeys: [{ address: 'aws_kms_key.alert_key_us_west_2', region: 'us-west-2' }],
    });
    expect(result.alertKey!.rows.map((r) => r.label)).toEqual(Object.keys(EXPECTED));
    expect(alertDecisions(result)).toEqual(expectedAlertDecisions());
    const publish = result.alertKey!.cells.find((c) => c.principal === 'service events.amazonaws.com' && c.action === 'kms:Decrypt')!;
    expect(publish).toMatchObject({ grantPath: 'key-policy', why: 'key policy EventBridgePublishesAlerts', risky: false });
  });

  it('names the account root, the administrators and EventBridge, nobody else', async () => {
    const { environment, stack } = single(FIXTURE);
    const { policy } = (await report(environment, stack)).alertKey!;
    expect(policy.Statement.map((s) => [s.Sid, s.Principal])).toEqual([
      ['EnableIamUserPermissions', { AWS: [`arn:aws:iam::${ACCOUNT}:root`] }],
      ['KeyAdministrators', { AWS: [ADMIN] }],
      ['EventBridgePublishesAlerts', { Service: ['events.amazonaws.com'] }],
    ]);
  });

  it('passes: the EventBridge statement trips no rule, secrets-key-service-principal included', async () => {
    const { environment, stack } = single(FIXTURE);
    const result = await report(environment, stack);
    expect(result).toMatchObject({ lint: [], keyPolicyFindings: [], riskyCells: 0, ok: true });
    expect(result.alertKey).toMatchObject({ policyFindings: [], riskyCells: 0, waivedCells: 4, ok: true });
    // The waived cells are the delegated management actions of the hypothetical kms:* row, as on the secrets key.
    expect(result.alertKey!.cells.filter((c) => c.waived).map((c) => c.action)).toEqual([
      'kms:CreateGrant',
      'kms:PutKeyPolicy',
      'kms:ScheduleKeyDeletion',
      'kms:DisableKey',
    ]);
  });

  it('prints its statements, its grid and its reasons, and counts its cells', async () => {
    const { code, out } = await cli([]);
    expect(code).toBe(0);
    expect(out).toContain(
      `Alert key (made only for alerts: it encrypts the alert topic): aws_kms_key.alert_key in eu-west-1, key arn:aws:kms:eu-west-1:${ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321 (placeholder), policy data.aws_iam_policy_document.alert_key_policy.`,
    );
    expect(out).toContain(
      'The alert keys of the other regions have the same statements (checked), so they are not evaluated: aws_kms_key.alert_key_us_west_2 (us-west-2).',
    );
    expect(out).toMatch(
      /^ {2}EventBridgePublishesAlerts +Allow +Service events\.amazonaws\.com +none +kms:Decrypt, kms:GenerateDataKey\*$/m,
    );
    expect(out).toMatch(/^ +Decrypt +GenDataKey +Encrypt +DescribeKey +CreateGrant +PutKeyPolicy +SchedDelete +DisableKey$/m);
    expect(out).toMatch(/^administrator KeyAdmin +\. +\. +\. +A +\. +A +A +A$/m);
    expect(out).toMatch(/^service events\.amazonaws\.com +A +A +\. +\. +\. +\. +\. +\.$/m);
    expect(out).toMatch(/^unnamed role \+ IAM kms:\* +I +I +I +I +I~ +I~ +I~ +I~$/m);
    expect(out).toMatch(
      /^ {2}service events\.amazonaws\.com\n {4}Allowed direct: Decrypt, GenerateDataKey: key policy EventBridgePublishesAlerts$/m,
    );
    expect(out).toMatch(/^Evaluated 258 cells in \d+ ms \(196 in the matrix, 6 by secret, 56 for the alert key\)\.$/m);
    expect(out).toMatch(/Result: OK$/);
  });

  it('is in the JSON as alertKey: the policy, the rows, every cell and the findings', async () => {
    const { code, out } = await cli(['--json']);
    expect(code).toBe(0);
    const [prod] = (JSON.parse(out) as JsonReport).environments;
    expect(prod.keyPolicyFindings).toEqual([]);
    expect(prod.alertKey!.cells).toHaveLength(7 * 8);
    expect(prod.alertKey!.rows[1]).toEqual({
      label: 'service events.amazonaws.com',
      kind: 'service-principal',
      arn: 'events.amazonaws.com',
    });
    expect(prod.alertKey!.policy.Statement.map((s) => s.Sid)).toEqual([
      'EnableIamUserPermissions',
      'KeyAdministrators',
      'EventBridgePublishesAlerts',
    ]);
    expect(prod.alertKey).toMatchObject({ riskyCells: 0, policyFindings: [], ok: true });
  });
});

describe('stacks without a key made only for alerts', () => {
  it('the default config has no alert key section', async () => {
    const { environment, stack } = single();
    const result = await report(environment, stack);
    expect(result.alertKey).toBeUndefined();
    expect(result.keyPolicyFindings).toEqual([]);
  });

  it('alerts sent to a given topic (access-alerts-given-topic.json) create no alert key: one key is evaluated, and it passes', async () => {
    const { environment, stack } = single('access-alerts-given-topic.json');
    expect(Object.keys(stack.resource!.aws_kms_key)).toEqual(['key']);
    const result = await report(environment, stack);
    expect(result).toMatchObject({ alertKey: undefined, ok: true });
  });
});

describe('widening the alert key fails the report', () => {
  it('EventBridge with kms:* may manage the key: non-administrator-controls-key and service-beyond-alert-publishing', async () => {
    const { environment, stack } = single(FIXTURE);
    const edited = copy(stack);
    for (const block of ['alert_key_policy', 'alert_key_us_west_2_policy'])
      alertStatement(edited, 'EventBridgePublishesAlerts', block).actions = ['kms:*'];
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    const risky = result.alertKey!.cells.filter((c) => c.risky);
    expect(risky.every((c) => c.principal === 'service events.amazonaws.com')).toBe(true);
    expect(Object.fromEntries(risky.map((c) => [c.action, c.findings.map((f) => f.rule)]))).toEqual({
      'kms:Encrypt': ['service-beyond-alert-publishing'],
      'kms:DescribeKey': ['service-beyond-alert-publishing'],
      'kms:CreateGrant': ['non-administrator-controls-key', 'service-beyond-alert-publishing'],
      'kms:PutKeyPolicy': ['non-administrator-controls-key', 'service-beyond-alert-publishing'],
      'kms:ScheduleKeyDeletion': ['non-administrator-controls-key', 'service-beyond-alert-publishing'],
      'kms:DisableKey': ['non-administrator-controls-key', 'service-beyond-alert-publishing'],
    });
    const { code, out } = await cli([], edited);
    expect(code).toBe(1);
    expect(out).toMatch(/^Risky cells of the alert key \(6\):$/m);
    expect(out).toContain(
      '[service-beyond-alert-publishing] kms:PutKeyPolicy: service events.amazonaws.com may call kms:PutKeyPolicy; publishing alerts to the encrypted topic needs kms:Decrypt and kms:GenerateDataKey* only',
    );
  });

  it('administrators able to decrypt alerts fail it (administrator-uses-key, as on the secrets key)', async () => {
    const { environment, stack } = single(FIXTURE);
    const edited = copy(stack);
    for (const block of ['alert_key_policy', 'alert_key_us_west_2_policy'])
      alertStatement(edited, 'KeyAdministrators', block).actions!.push('kms:Decrypt');
    const result = await report(environment, edited);
    const risky = result.alertKey!.cells.filter((c) => c.risky);
    expect(risky.map((c) => [c.principal, c.action, c.findings.map((f) => f.rule)])).toEqual([
      ['administrator KeyAdmin', 'kms:Decrypt', ['administrator-uses-key']],
    ]);
    expect(result.ok).toBe(false);
  });

  it('another principal named in it fails it (alert-key-names-other-principal), in any region', async () => {
    const { environment, stack } = single(FIXTURE);
    const edited = copy(stack);
    for (const block of ['alert_key_policy', 'alert_key_us_west_2_policy']) {
      alertStatements(edited, block).push({
        sid: 'ReadAlerts',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [`arn:aws:iam::${ACCOUNT}:role/batch`] }],
      });
    }
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    // No row stands for role/batch, so the matrix cannot show it: the rule reads the statements.
    expect(result.alertKey!.riskyCells).toBe(0);
    expect(result.alertKey!.policyFindings.map((f) => [f.rule, f.where, f.statement])).toEqual([
      ['alert-key-names-other-principal', 'aws_kms_key.alert_key (data.aws_iam_policy_document.alert_key_policy)', 'ReadAlerts'],
      [
        'alert-key-names-other-principal',
        'aws_kms_key.alert_key_us_west_2 (data.aws_iam_policy_document.alert_key_us_west_2_policy)',
        'ReadAlerts',
      ],
    ]);
    const { code, out } = await cli([], edited);
    expect(code).toBe(1);
    expect(out).toContain(
      `[alert-key-names-other-principal] aws_kms_key.alert_key (data.aws_iam_policy_document.alert_key_policy) ReadAlerts: statement ReadAlerts names AWS arn:aws:iam::${ACCOUNT}:role/batch (kms:Decrypt): the key made only for alerts names the account root, the key's administrators and events.amazonaws.com, nobody else`,
    );
  });

  it('a region whose alert key differs from the evaluated one is a lint problem (alert-key-policies-agree)', async () => {
    const { environment, stack } = single(FIXTURE);
    const edited = copy(stack);
    alertStatement(edited, 'EventBridgePublishesAlerts', 'alert_key_us_west_2_policy').actions = ['kms:*'];
    const result = await report(environment, edited);
    expect(result.lint).toEqual([
      {
        check: 'alert-key-policies-agree',
        where: 'aws_kms_key.alert_key_us_west_2 (data.aws_iam_policy_document.alert_key_us_west_2_policy)',
        message:
          'its policy differs from that of aws_kms_key.alert_key (data.aws_iam_policy_document.alert_key_policy), the alert key the report evaluates; the alert keys of every region must have the same statements',
      },
    ]);
    expect(result).toMatchObject({ ok: false, cells: [] });
    expect(result.alertKey!.cells).toEqual([]);
    expect((await cli([], edited)).code).toBe(1);
  });

  it('an alert key that bypasses the lockout safety check is a lint problem', async () => {
    const { environment, stack } = single(FIXTURE);
    const edited = copy(stack);
    edited.resource!.aws_kms_key.alert_key.bypass_policy_lockout_safety_check = true;
    const placeholders = placeholdersFor(environment);
    const problems = await lint({ rendered: renderEnvironment(edited, placeholders), environment, accountId: placeholders.accountId });
    expect(problems).toEqual([
      expect.objectContaining({ check: 'lockout-safety-check', where: 'aws_kms_key.alert_key.bypass_policy_lockout_safety_check' }),
    ]);
  });
});
