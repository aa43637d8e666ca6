export { appendIncrementalUpdate, type IncrementalUpdate, type UpdateObject } from './append-incremental-update.js';
export { readPdfTrailer, type PdfTrailer, type XrefKind } from './read-trailer.js';
