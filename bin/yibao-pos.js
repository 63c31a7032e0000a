#!/usr/bin/env node
// The installed `yibao-pos` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/bin.ts');
