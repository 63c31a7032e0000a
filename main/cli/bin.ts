// Entry point of `npm run pos` and the `yibao-pos` bin.
import { main } from './index';
import { logCrashes } from '../log/logger';

logCrashes();
main(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) }).then((code) => {
  process.exitCode = code;
});
