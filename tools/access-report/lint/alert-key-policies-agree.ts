/**
 * The keys made only for alerts, one per region where a key lives, have the same statements: the
 * report evaluates the primary region's only, so a region whose alert key's policy differs would
 * go unseen. Their statements name no region-bound value, so "the same" is exact.
 */
import { normalizePolicy } from '../../../policy/render';
import type { LintCheck } from './check';

/** Flags an alert key whose policy differs from the primary region's alert key's. */
export const alertKeyPoliciesAgree: LintCheck = ({ rendered }) => {
  const [evaluated, ...others] = rendered.alertKeys;
  if (evaluated === undefined) return [];
  const expected = JSON.stringify(normalizePolicy(evaluated.policy));
  return others
    .filter((key) => JSON.stringify(normalizePolicy(key.policy)) !== expected)
    .map((key) => ({
      check: 'alert-key-policies-agree',
      where: `${key.address} (${key.policySource})`,
      message: `its policy differs from that of ${evaluated.address} (${evaluated.policySource}), the alert key the report evaluates; the alert keys of every region must have the same statements`,
    }));
};
