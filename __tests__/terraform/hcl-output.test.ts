/**
 * `npm run synth -- --hcl` through real Terraform, offline: the HCL of the default environment and
 * of the multi-feature fixture cdktf's HCL renderer breaks on (aliased providers of replicas, KMS
 * grants, secrets, EventBridge patterns of the alerts) passes `terraform init` + `terraform validate`
 * without a warning, is `terraform fmt`-clean, and means what the JSON output means. cdktf's own
 * renderer, without app/hcl-render.ts, fails that comparison, which shows it can fail. The import
 * fixture's HCL (import blocks) is checked the same way in hcl-output.slow.test.ts.
 */
import { join } from 'node:path';
import { describeHclOutput, FIXTURES, parseHcl, rawCdktfHcl } from './hcl-suite';

// One init (the stacks share a provider set), two validates.
jest.setTimeout(180_000);

const REPLICAS_GRANTS = join(FIXTURES, 'replicas-grants.json');

describeHclOutput(
  'HCL output (npm run synth -- --hcl) through Terraform, offline',
  [
    { label: 'the default environment', config: undefined, environment: 'tutorial' },
    {
      label: 'replicas through aliased providers, KMS grants, secrets, alerts (replicas-grants.json)',
      config: REPLICAS_GRANTS,
      environment: 'global',
    },
  ],
  (suite) => {
    describe('cdktf 0.21’s own HCL, without app/hcl-render.ts, is what these checks catch', () => {
      test('an EventBridge pattern (JSON holding a reference) is written unescaped: not HCL', async () => {
        const hcl = rawCdktfHcl(suite.root(), REPLICAS_GRANTS);
        expect(hcl).toContain('event_pattern = "{"source":["aws.kms"]');
        await expect(parseHcl('cdk.tf', hcl)).rejects.toThrow(/Missing newline after argument|Invalid character/);
      });
    });
  },
);
