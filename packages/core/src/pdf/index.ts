export * from './parse/index.js';
export * from './verify/index.js';
export * from './write/index.js';
export * from './sign/index.js';
export * from './render/index.js';
