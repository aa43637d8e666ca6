export { parseJsonStrict, isJsonObject, type StrictParseOptions } from './strict-parse.js';
export { canonicalJson } from './canonical.js';
