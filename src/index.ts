export * from './core/errors.js';
export * from './core/types.js';
export { VERSION } from './version.js';
