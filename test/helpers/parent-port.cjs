// Preloaded (--require) into a forked Node child: gives it Electron's utilityProcess `process.parentPort`
// over Node's IPC channel, so the bundled services entry runs exactly as it does under Electron.
const listeners = [];
process.on('message', (data) => listeners.forEach((l) => l({ data, ports: [] })));
process.parentPort = {
  on: (event, listener) => {
    if (event === 'message') listeners.push(listener);
    return process.parentPort;
  },
  postMessage: (message) => process.send(message),
};
