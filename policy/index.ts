/** The policy model: who may do what on a key, as plain data with no cdktf dependency. */
export * from './actions';
export * from './arn';
export * from './conditions';
export * from './key-policy';
export * from './key-spec';
export * from './regions';
export * from './render';
export * from './statement';
export * from './size';
export * from './secrets';
export * from './key-reference';
export * from './grant-operations';
export * from './replica';
export * from './kms-operations';
export * from './extra-statements';
export * from './pricing';
