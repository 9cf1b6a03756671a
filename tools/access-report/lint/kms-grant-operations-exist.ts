/**
 * Every operation of every KMS grant is one KMS knows (`Decrypt`, not `kms:Decrypt`): the grant
 * rules match operation names, so a misspelt one would slip past them (and fail at apply).
 */
import { GRANT_OPERATIONS } from '../../../policy/grant-operations';
import type { LintCheck } from './check';

/** Flags grant operations that are not KMS grant operations. */
export const kmsGrantOperationsExist: LintCheck = ({ rendered }) =>
  rendered.kmsGrants.flatMap((grant) =>
    grant.operations.flatMap((operation, index) =>
      (GRANT_OPERATIONS as readonly string[]).includes(operation)
        ? []
        : [
            {
              check: 'kms-grant-operations-exist',
              where: `${grant.address}.operations[${index}]`,
              message: `${JSON.stringify(operation)} is not a KMS grant operation; allowed: ${GRANT_OPERATIONS.join(', ')}`,
            },
          ],
    ),
  );
