/** The config: schema, loader and error formatting. */
export * from './backend-schema';
export * from './errors';
export * from './key-schema';
export * from './lambda-role-schema';
export * from './load';
export * from './schema';
export * from './secret-schema';
export * from './audit-schema';
