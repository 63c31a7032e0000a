/**
 * Preloaded by `npm run lint:layers`: dependency-cruiser parses TypeScript with swc (TypeScript 7, the
 * project's compiler, has no JavaScript API for it) but asks swc for plain TypeScript syntax, which
 * cannot read JSX. This turns TSX syntax on for .tsx files, nothing else.
 */
const swc = require('@swc/core');

const parseFileSync = swc.parseFileSync;
swc.parseFileSync = (file, options) => parseFileSync.call(swc, file, { ...options, tsx: String(file).endsWith('.tsx') });
