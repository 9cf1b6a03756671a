/** Declares an environment's Terraform backend. */
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from 'cdktf';
import type { ResolvedBackend } from '../config/schema';

/**
 * How far a stack's folder (`cdktf.out/stacks/<name>`, where Terraform runs) is below the project
 * root: local state paths are written relative to it, so the output holds no absolute path and the
 * state stays outside `cdktf.out`.
 */
export const STACK_DIR_DEPTH = 3;

/** Adds the backend described by `backend` to `stack`. */
export function addBackend(stack: TerraformStack, backend: ResolvedBackend): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: `${'../'.repeat(STACK_DIR_DEPTH)}${backend.path.replace(/^\.\//, '')}` });
      return;
    case 's3': {
      new S3Backend(stack, { bucket: backend.bucket, key: backend.key, region: backend.region, encrypt: backend.encrypt });
      // cdktf 0.21's S3Backend has no use_lockfile (Terraform >= 1.10 native S3 locking).
      if (backend.useLockfile) stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    }
    case 'cloud':
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace),
      });
      return;
  }
}
