/** A principal that is not an administrator must not change the policy, create grants, or disable or delete the key. */
import { KEY_CONTROL_ACTIONS, type RiskRule } from './rule';

/** Flags key-control actions allowed to anyone but an administrator. */
export const nonAdministratorControlsKey: RiskRule = (cell, row) =>
  row.kind !== 'administrator' && KEY_CONTROL_ACTIONS.includes(cell.action)
    ? `${row.label} is not an administrator but may call ${cell.action}`
    : undefined;
