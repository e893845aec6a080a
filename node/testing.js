'use strict'
// An in-process emulator of the Exto360 Data API, for your own tests:
//   const { startEmulator } = require('exto360/testing')
//   const emu = startEmulator()
//   const client = new Client({ token: emu.token, baseUrl: emu.url })
//   ... emu.journal(), emu.setFaults([...]), emu.reset() ...
//   emu.close()

const { NativeEmulator } = require('./native.js')

/**
 * Starts an emulator on 127.0.0.1 with the demo dataset (or `dataset`); its rate limit is off
 * unless `settings.rateLimit` is set.
 */
function startEmulator({ dataset, settings, token } = {}) {
  const emu = new NativeEmulator(dataset ? JSON.stringify(dataset) : null, settings ? JSON.stringify(settings) : null, token ?? null)
  return {
    url: emu.url,
    token: emu.token,
    journal: () => JSON.parse(emu.journal()),
    clearJournal: () => emu.clearJournal(),
    reset: () => emu.reset(),
    setFaults: (faults) => emu.setFaults(JSON.stringify(faults)),
    configure: (s) => JSON.parse(emu.configure(JSON.stringify(s))),
    loadDataset: (d) => emu.loadDataset(JSON.stringify(d)),
    records: (kind, name) => JSON.parse(emu.records(kind, name)),
    close: () => emu.close(),
  }
}

module.exports = { startEmulator }
