// Entry point of `npm run pos` and the `yibao-pos` bin.
import { main } from './index';

main(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) }).then((code) => {
  process.exitCode = code;
});
