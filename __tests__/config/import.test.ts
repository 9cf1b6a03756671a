/**
 * Bringing a key made in the console under this project: `key.importKeyId`, `key.importAlias` and
 * `lambdaRole.importExisting`, their refusals, and the import blocks synth writes (with no Terraform
 * on the PATH).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../config';
import { parseKeyReference } from '../../policy/key-reference';
import { problems } from './helpers';

type Json = Record<string, unknown>;

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const MRK_ID = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const env = (key: Json, overrides: Json = {}): Json => ({
  region: 'us-east-1',
  accountId: '111122223333',
  key: { alias: 'secrets-manager-encryption-key', ...key },
  ...overrides,
});
const config = (key: Json, overrides: Json = {}) => ({ environments: { tutorial: env(key, overrides) } });

describe('key references', () => {
  test.each([
    [KEY_ID, { keyId: KEY_ID, multiRegion: false, arn: undefined }],
    [MRK_ID, { keyId: MRK_ID, multiRegion: true, arn: undefined }],
    [
      `arn:aws:kms:us-east-1:111122223333:key/${KEY_ID}`,
      { keyId: KEY_ID, multiRegion: false, arn: { partition: 'aws', region: 'us-east-1', accountId: '111122223333' } },
    ],
  ])('%s', (reference, parsed) => {
    expect(parseKeyReference(reference)).toEqual(parsed);
  });

  test.each(['alias/secrets-manager-encryption-key', 'arn:aws:kms:us-east-1:111122223333:alias/x', '1234', KEY_ID.toUpperCase()])(
    '%s is not a key reference',
    (reference) => {
      expect(parseKeyReference(reference)).toBeUndefined();
    },
  );
});

describe('importKeyId and its refusals', () => {
  test('accepted: a key id, the alias imported too by default', () => {
    const [tutorial] = parseConfig(config({ importKeyId: KEY_ID })).environments;
    expect(tutorial.key).toMatchObject({ importKeyId: KEY_ID, importAlias: true, preventDestroy: true });
  });

  test.each([
    [
      { importKeyId: 'alias/my-key' },
      'environments.tutorial.key.importKeyId: "alias/my-key" is not a KMS key id or key ARN; expected a key id (1234abcd-12ab-34cd-56ef-1234567890ab), a multi-Region key id (mrk-...) or arn:<partition>:kms:<region>:<account>:key/<id>',
    ],
    [
      { importKeyId: KEY_ID, preventDestroy: false },
      'environments.tutorial.key.preventDestroy: is false with importKeyId; an imported key is one you already use, so the plan must never be able to destroy it: keep preventDestroy true',
    ],
    [
      { importKeyId: MRK_ID },
      `environments.tutorial.key.multiRegion: is false, but importKeyId "${MRK_ID}" is a multi-Region key (mrk-...); set multiRegion to true (it cannot change on an existing key, and Terraform would plan a replacement)`,
    ],
    [
      { importKeyId: KEY_ID, multiRegion: true },
      `environments.tutorial.key.multiRegion: is true, but importKeyId "${KEY_ID}" is a single-Region key (multi-Region key ids start with mrk-); set multiRegion to false`,
    ],
    [
      { importAlias: true },
      'environments.tutorial.key.importAlias: is true without importKeyId; it only says whether an imported key’s alias is imported too',
    ],
    [
      { importKeyId: `arn:aws:kms:eu-west-1:444455556666:key/${KEY_ID}` },
      `environments.tutorial.key.importKeyId: "arn:aws:kms:eu-west-1:444455556666:key/${KEY_ID}" is in region eu-west-1, not us-east-1 and is in account 444455556666, not 111122223333; a key is imported into the environment's own partition, region and account`,
    ],
    [
      { importKeyId: `arn:aws-cn:kms:us-east-1:111122223333:key/${KEY_ID}` },
      `environments.tutorial.key.importKeyId: "arn:aws-cn:kms:us-east-1:111122223333:key/${KEY_ID}" is in partition aws-cn, not aws; a key is imported into the environment's own partition, region and account`,
    ],
  ])('%j is refused', (key, message) => {
    expect(problems(config(key))).toEqual([message]);
  });

  test('an mrk- key with multiRegion true is accepted', () => {
    expect(parseConfig(config({ importKeyId: MRK_ID, multiRegion: true })).environments[0].key.importKeyId).toBe(MRK_ID);
  });
});

describe('synth writes import blocks through a stack override, with no Terraform on the PATH', () => {
  const ROOT = resolve(__dirname, '..', '..');
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kms-import-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `npm run synth` of `<dir>/kms.json` as a child process whose PATH holds only node's own folder: no terraform, so nothing can run `terraform version`. */
  const synthWithoutTerraform = () =>
    spawnSync(process.execPath, ['tools/run.mjs', 'main.ts'], {
      cwd: ROOT,
      env: {
        PATH: resolve(process.execPath, '..'),
        HOME: dir,
        KMS_CONFIG: join(dir, 'kms.json'),
        CDKTF_OUTDIR: join(dir, 'out'),
        CHECKPOINT_DISABLE: '1',
      },
      encoding: 'utf8',
    });

  test('key (reduced from its ARN), alias and role', () => {
    writeFileSync(
      join(dir, 'kms.json'),
      JSON.stringify(
        config(
          { importKeyId: `arn:aws:kms:us-east-1:111122223333:key/${KEY_ID}` },
          { lambdaRole: { name: 'lambda-secrets-role', importExisting: true } },
        ),
      ),
    );
    const run = synthWithoutTerraform();
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const stack = JSON.parse(readFileSync(join(dir, 'out', 'stacks', 'tutorial', 'cdk.tf.json'), 'utf8'));
    expect(stack.import).toEqual([
      { to: 'aws_kms_key.key', id: KEY_ID },
      { to: 'aws_kms_alias.key', id: 'alias/secrets-manager-encryption-key' },
      { to: 'aws_iam_role.lambda_role', id: 'lambda-secrets-role' },
    ]);
    expect(stack.resource.aws_kms_key.key.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('importAlias false imports the key only; no import without importKeyId', () => {
    const synth = (key: Json) => {
      writeFileSync(join(dir, 'kms.json'), JSON.stringify(config(key)));
      const run = synthWithoutTerraform();
      expect(run.status).toBe(0);
      return JSON.parse(readFileSync(join(dir, 'out', 'stacks', 'tutorial', 'cdk.tf.json'), 'utf8'));
    };
    expect(synth({ importKeyId: KEY_ID, importAlias: false }).import).toEqual([{ to: 'aws_kms_key.key', id: KEY_ID }]);
    expect(synth({})).not.toHaveProperty('import');
  });
});
