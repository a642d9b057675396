// Public face of the disk-image library (qcow2 v2/v3 and raw).
export * from './api';
export { createImage } from './create';
export { openImage, probeFormat, type OpenOptions } from './open';
export { checkImage } from './check';
