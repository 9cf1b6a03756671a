/**
 * The HCL output of the import fixture (import blocks of a key, alias and role made in the console)
 * through `terraform init` + `terraform validate`, `terraform fmt -check` and the comparison with
 * the JSON, as hcl-output.test.ts does for the default environment and the multi-feature fixture.
 * A slow suite: one more Terraform validate. cdktf's own renderer drops the import blocks without a
 * word, which the comparison catches.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparable, describeHclOutput, differences, FIXTURES, parseHcl, rawCdktfHcl } from './hcl-suite';

// One init and one validate.
jest.setTimeout(180_000);

const IMPORT_CONSOLE_KEY = join(FIXTURES, 'import-console-key.json');

describeHclOutput(
  'HCL output of import blocks through Terraform, offline',
  [
    {
      label: 'import blocks of a key, alias and role made in the console (import-console-key.json)',
      config: IMPORT_CONSOLE_KEY,
      environment: 'tutorial',
    },
  ],
  (suite) => {
    describe('cdktf 0.21’s own HCL, without app/hcl-render.ts, is what these checks catch', () => {
      test('import blocks (a stack override) are dropped without a word', async () => {
        const hcl = await parseHcl('cdk.tf', rawCdktfHcl(suite.root(), IMPORT_CONSOLE_KEY));
        const json: unknown = JSON.parse(readFileSync(suite.jsonFile(0), 'utf8'));
        expect(differences(comparable(json), comparable(hcl))).toContainEqual(
          expect.stringMatching(/^\.import: json=\[\{"id":"1234abcd-12ab-34cd-56ef-1234567890ab","to":"aws_kms_key\.key"\}/),
        );
      });
    });
  },
);
