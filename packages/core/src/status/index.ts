export {
  createStatusBitstring,
  decodeStatusBitstring,
  encodeStatusBitstring,
  getStatusBit,
  setStatusBit,
  MIN_STATUS_LIST_BITS,
} from './bitstring.js';
export { buildStatusListCredential, signStatusList, type StatusListInput, type StatusPurpose } from './status-list-credential.js';
export { checkLicenseStatus, readStatusEntries, type StatusEntry } from './check-license-status.js';
