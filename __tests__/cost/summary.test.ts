/** The synth summary's cost line (app/summary.ts), per environment, with the free tier shared across the app's stacks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app/build-app';
import { outputLayout } from '../../app/project';
import { summarizeStack } from '../../app/summary';
import { loadConfig } from '../../config/load';

const FIXTURE = join(__dirname, '..', 'fixtures', 'cost-replicas-audit.json');

test('one cost line per environment, in the summary, from the estimate of the whole config', () => {
  const root = mkdtempSync(join(tmpdir(), 'kms-cost-summary-'));
  try {
    const { stacks } = buildApp(loadConfig({ KMS_CONFIG: FIXTURE }), { layout: outputLayout(root, join(root, 'cdktf.out')) });
    const costLines = stacks.map((stack) => summarizeStack(stack, 'out').filter((line) => line.startsWith('  cost ')));
    expect(costLines).toEqual([
      [
        '  cost     about $1.40/month now, $3.40/month from day 730 (rotation cap, about 24 months): 1 key, 1 secret (not their API calls), 15,000 requests/month (15,000 free)',
      ],
      [
        '  cost     about $11.29/month now, $23.29/month from day 730 (rotation cap, about 24 months): 6 keys, 2 secrets (not their API calls), 1,500,000 requests/month (5,000 free)',
      ],
      [
        '  cost     about $1.09/month now, $3.09/month from day 730 (rotation cap, about 24 months): 1 key, 30,000 requests/month (no accountId: no free tier)',
      ],
      ['  cost     about $1.00/month: 1 key, requests not estimated (asymmetric key: storage and rotation only)'],
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
