/** The construct library's public API. */
export * from './aws-context';
export * from './customer-managed-key';
export * from './grants';
export * from './lambda-secrets-role';
export { terraformName } from './terraform-name';
export * from './secrets-manager-secret';
export * from './imports';
export * from './existing-key';
