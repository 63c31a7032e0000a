export * from './receipt';
export { formatFen } from './money';
export { displayWidth, padEnd, padStart, wrap } from './text-width';
