#!/usr/bin/env node
'use strict'
// The `exto360` command (`npx exto360 …`): the Rust command line, run in this process through
// the native addon — the same program as `cargo install --path cli`.

const { runCli } = require('../native.js')

// Ctrl-C belongs to the command (an import stops after the requests in flight, saves its
// checkpoint and exits 130). Node's own SIGINT handler re-raises the signal, which the command
// would take for a second Ctrl-C; a listener makes libuv's quiet handler take its place.
process.on('SIGINT', () => {})
process.exitCode = runCli(['exto360', ...process.argv.slice(2)])
